schema explore
