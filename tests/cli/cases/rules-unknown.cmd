rules KSF1O07
