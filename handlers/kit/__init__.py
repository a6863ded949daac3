"""What every feature shares: the update guard and replies, declared flows, checklists,
the button gate, plain words and translated versions."""
