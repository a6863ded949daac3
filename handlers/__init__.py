"""One module per feature; each exports the handlers it contributes."""
