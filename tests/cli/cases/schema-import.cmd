schema import
