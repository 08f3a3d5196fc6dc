schema diff
