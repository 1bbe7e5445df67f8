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
