"""A review's timeline on Teams: holds on activities and agreed timescales."""
