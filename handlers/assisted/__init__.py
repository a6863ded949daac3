"""Staff acting for people who take part by phone, on paper or through a partner."""
