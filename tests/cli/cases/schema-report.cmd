schema report
