"""A review's timeline on Teams: pause, resume and agreed extensions."""
