"""A review's start: the new-review form's rules, opening it, the decision whether to hold one."""
