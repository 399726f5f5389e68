"""Small pure helpers below every app (no models, no Django app): any app may import them."""
