schema lint
