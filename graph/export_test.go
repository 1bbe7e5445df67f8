package graph

// Redeclare rebuilds the tables of the relation declaration, for tests
// that add a throw-away relation with model.Declare.
func Redeclare() { declare() }
