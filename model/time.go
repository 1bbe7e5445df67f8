package model

// Time and capacity: how long a compromised node takes to come back, how
// much each organisation does in a day, and how much of a consumer's work
// needs each provider. Every key is optional; a model without them answers
// as it would without time.

// Recovery is how many days a compromised node takes to return to full
// capacity, as a three-point estimate. One number in the file gives
// Min = Likely = Max.
type Recovery struct {
	Min, Likely, Max float64
	Pos              Pos
}

// RestorePoint is a node's capacity (0..1) on a day after the attack; a
// restore schedule is linear between its points and 1 after the last.
type RestorePoint struct {
	Day      int
	Capacity float64
	Pos      Pos
}

// Activity is an organisation's normal work in one unit, per day: outpatient
// appointments, elective procedures, blood tests, 111 calls.
type Activity struct {
	Unit   string
	PerDay float64
	Pos    Pos
}

// OutageLimit is a scenario's expectation that a node spends at most Days
// days below half capacity.
type OutageLimit struct {
	ID   Ref
	Days float64
	Pos  Pos
}

// ShareOrDefault is the fraction of the consumer's activity that needs the
// provider: the file's share, or 1 for a critical dependency and 0.5 for
// one that is not.
func (d *Dependency) ShareOrDefault() float64 {
	if d.Share != nil {
		return *d.Share
	}
	if d.Critical {
		return 1
	}
	return 0.5
}

// Aid is a mutual-aid link: the provider helps the consumer when the
// consumer's providers of the provider's kind are short, from After days
// after they first are; it gives its spare Headroom (a fraction of its own
// work, free), then up to Shed more taken from its own consumers.
type Aid struct {
	After int
	// For is how many days the helper helps from its first day of help;
	// 0 for as long as it is needed.
	For      int
	Headroom float64
	Shed     float64
	Pos      Pos
}

// Stock is a shared stock (blood, medicines): Days of normal demand held,
// and the level below which its consumers are strained.
type Stock struct {
	Days  float64
	Alert float64
	Pos   Pos
}

// Surge raises a consumer's draw on a stock to Factor times normal while
// When is below full capacity; Share is the consumer's part of the stock's
// normal demand.
type Surge struct {
	When   Ref
	Factor float64
	Share  float64
	Pos    Pos
}
