package model

// Gives reports whether the file writes the key in the node's entry: a
// figure written as 0 is given, an absent one is unknown.
func (n *Node) Gives(key string) bool {
	for _, f := range n.Fields {
		if f.Key == key {
			return true
		}
	}
	return false
}
