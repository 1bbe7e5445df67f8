package model

// Limits bound what the loader accepts, so that a hostile file fails fast with
// a clear message instead of exhausting time or memory. The zero value of a
// field means "use the default".
type Limits struct {
	MaxBytes        int64 // size of the files, together
	MaxNodes        int   // organisations plus services
	MaxDependencies int
	MaxDepth        int // nesting of YAML collections
	MaxIDLength     int
	MaxStringLength int // names, notes, descriptions and other text
	MaxAliasNodes   int // YAML nodes that aliases may add by expansion
	MaxFiles        int // files of a model: the root and those it includes
}

// DefaultLimits are the limits used when none are given. They admit a model
// ten times the size of the NHS in England.
var DefaultLimits = Limits{
	MaxBytes:        256 << 20,
	MaxNodes:        1_000_000,
	MaxDependencies: 5_000_000,
	MaxDepth:        64,
	MaxIDLength:     128,
	MaxStringLength: 64 << 10,
	MaxAliasNodes:   100_000,
	MaxFiles:        10_000,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBytes > 0 {
		d.MaxBytes = l.MaxBytes
	}
	if l.MaxNodes > 0 {
		d.MaxNodes = l.MaxNodes
	}
	if l.MaxDependencies > 0 {
		d.MaxDependencies = l.MaxDependencies
	}
	if l.MaxDepth > 0 {
		d.MaxDepth = l.MaxDepth
	}
	if l.MaxIDLength > 0 {
		d.MaxIDLength = l.MaxIDLength
	}
	if l.MaxStringLength > 0 {
		d.MaxStringLength = l.MaxStringLength
	}
	if l.MaxAliasNodes > 0 {
		d.MaxAliasNodes = l.MaxAliasNodes
	}
	if l.MaxFiles > 0 {
		d.MaxFiles = l.MaxFiles
	}
	return d
}
