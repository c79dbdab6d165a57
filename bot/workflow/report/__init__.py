"""The overview report's steps, the action plan, conclusion, the Commissioner's copy, retention."""
