"""A person's privacy rights as use cases: the notice they agree to, gathering everything we
hold about them, erasing it, and the retention sweep. Their own /mydata and /delete and staff
acting for someone (handlers/assisted/assisted.py) call the same work, so both stay the same."""
