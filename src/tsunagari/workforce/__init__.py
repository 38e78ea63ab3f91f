"""The welfare workforce (direction 9-1): qualifications, training, supervision per agency."""
