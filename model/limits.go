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

// withDefaults is l with DefaultLimits in place of every field that is not
// above zero.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	d.MaxBytes = positiveOr(l.MaxBytes, d.MaxBytes)
	d.MaxNodes = positiveOr(l.MaxNodes, d.MaxNodes)
	d.MaxDependencies = positiveOr(l.MaxDependencies, d.MaxDependencies)
	d.MaxDepth = positiveOr(l.MaxDepth, d.MaxDepth)
	d.MaxIDLength = positiveOr(l.MaxIDLength, d.MaxIDLength)
	d.MaxStringLength = positiveOr(l.MaxStringLength, d.MaxStringLength)
	d.MaxAliasNodes = positiveOr(l.MaxAliasNodes, d.MaxAliasNodes)
	d.MaxFiles = positiveOr(l.MaxFiles, d.MaxFiles)
	return d
}

func positiveOr[T int | int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
