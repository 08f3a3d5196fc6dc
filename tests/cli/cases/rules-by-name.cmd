rules range-stepping
