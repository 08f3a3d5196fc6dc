rules KSF1007
