package model

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// The keys of strain: mutual aid between providers (aid), shared stocks
// that run down instead of failing (a service of kind stock, with stock),
// and a consumer's larger draw on a stock while another node is short
// (surge).

var (
	aidKeys   = []string{"after", "for", "headroom", "shed"}
	stockKeys = []string{"days", "alert"}
	surgeKeys = []string{"when", "factor", "share"}
)

// StockKind is the kind of service that is a shared stock.
const StockKind = "stock"

// maxFactor bounds a surge's factor: a draw a hundred times normal is past
// any stock.
const maxFactor = 100

// fraction reads a number from 0 to 1.
func (p *parser) fraction(n *yaml.Node, what, hint string) (float64, bool) {
	f, ok := p.number(n, what)
	if !ok {
		return 0, false
	}
	if f < 0 || f > 1 {
		p.errorf(n, hint, "%s %v is out of range", what, f)
		return 0, false
	}
	return f, true
}

// aid reads {after, for, headroom, shed}.
func (p *parser) aid(n *yaml.Node) *Aid {
	e, ok := p.object(n, "aid", aidKeys)
	if !ok {
		return nil
	}
	a := &Aid{Pos: p.at(e.node)}
	good := true
	if v := e.get("after"); v != nil {
		f, ok := p.number(v, "aid after")
		switch {
		case !ok:
			good = false
		case f < 0:
			p.errorf(v, "after is the days from the consumer's first shortfall to the first day of help, 0 or more", "aid after %v is negative", f)
			good = false
		case f != float64(int(f)) || f > maxDays:
			p.errorf(v, fmt.Sprintf("write a whole number of days, at most %d", maxDays), "aid after %v is out of range", f)
			good = false
		default:
			a.After = int(f)
		}
	}
	if v := e.get("for"); v != nil {
		f, ok := p.number(v, "aid for")
		switch {
		case !ok:
			good = false
		case f < 1 || f != float64(int(f)) || f > maxDays:
			p.errorf(v, fmt.Sprintf("for is how many days the helper helps, from its first day of help: a whole number from 1 to %d, or leave it out for help as long as it is needed", maxDays), "aid for %v is out of range", f)
			good = false
		default:
			a.For = int(f)
		}
	}
	const fracHint = "a fraction of the helper's own work, from 0 to 1, such as 0.05"
	if v := e.get("headroom"); v != nil {
		a.Headroom, ok = p.fraction(v, "aid headroom", "headroom is the helper's spare capacity that it gives free: "+fracHint)
		good = good && ok
	}
	if v := e.get("shed"); v != nil {
		a.Shed, ok = p.fraction(v, "aid shed", "shed is the most of its own work the helper gives up to help: "+fracHint)
		good = good && ok
	}
	if e.get("headroom") == nil && e.get("shed") == nil {
		p.errorf(e.node, "give headroom, shed or both, such as {after: 2, headroom: 0.05, shed: 0.2}", "aid gives neither headroom nor shed: the helper would give nothing")
		good = false
	}
	if !good {
		return nil
	}
	return a
}

// stock reads {days, alert}.
func (p *parser) stock(n *yaml.Node) *Stock {
	e, ok := p.object(n, "stock", stockKeys)
	if !ok {
		return nil
	}
	s := &Stock{Pos: p.at(e.node)}
	dn, an := e.get("days"), e.get("alert")
	if dn == nil {
		p.errorf(e.node, "days is the stock held, in days of normal demand, such as {days: 6, alert: 2}", "stock has no \"days\"")
		return nil
	}
	d, ok := p.days(dn, "stock days", "days is the stock held, in days of normal demand, above 0")
	if !ok {
		return nil
	}
	if d == 0 {
		p.errorf(dn, "days is the stock held, in days of normal demand, above 0", "stock days is 0")
		return nil
	}
	s.Days = d
	if an != nil {
		a, ok := p.days(an, "stock alert", "alert is the level, in days of normal demand, below which the stock's consumers are strained, 0 or more")
		if !ok {
			return nil
		}
		if a > d {
			p.errorf(an, fmt.Sprintf("alert is a level below the stock held, from 0 to its days, %v", d), "stock alert %v is above its days %v", a, d)
			return nil
		}
		s.Alert = a
	}
	return s
}

// surge reads {when, factor, share}.
func (p *parser) surge(n *yaml.Node) *Surge {
	e, ok := p.object(n, "surge", surgeKeys)
	if !ok {
		return nil
	}
	s := &Surge{Pos: p.at(e.node), Factor: 1}
	good := true
	for _, k := range surgeKeys {
		if e.get(k) == nil {
			p.errorf(e.node, "a surge is {when: ID, factor: 1.94, share: 0.01}: while when is short, the consumer draws factor times its share of the stock's normal demand", "surge has no %q", k)
			good = false
		}
	}
	if v := e.get("when"); v != nil {
		id, ok := p.id(v, "surge when")
		s.When = Ref{id, p.at(v)}
		good = good && ok
	}
	if v := e.get("factor"); v != nil {
		f, ok := p.number(v, "surge factor")
		if ok && (f < 1 || f > maxFactor) {
			p.errorf(v, fmt.Sprintf("factor is the consumer's draw while when is short, as a multiple of normal, from 1 to %d, such as 1.94", maxFactor), "surge factor %v is out of range", f)
			ok = false
		}
		s.Factor = f
		good = good && ok
	}
	if v := e.get("share"); v != nil {
		f, ok := p.fraction(v, "surge share", "share is the consumer's part of the stock's normal demand, from 0 to 1, such as 0.01")
		s.Share = f
		good = good && ok
	}
	if !good {
		return nil
	}
	return s
}

// strainOfService reads stock, which only a service of kind stock has and
// which it needs.
func (p *parser) strainOfService(e entry, s *Node) {
	v := e.get("stock")
	switch {
	case v != nil && s.Kind != StockKind && s.Kind != "":
		p.errorf(v, "stock belongs to a service of kind stock; make the kind stock, or remove stock", "%q has stock but is of kind %s", s.ID, s.Kind)
	case v != nil:
		s.Stock = p.stock(v)
	case s.Kind == StockKind:
		p.warnf(e.get("kind"), "give what it holds and when it alerts, such as stock: {days: 6, alert: 2}", "stock %q has no stock: it never runs down", s.ID)
	}
}

// strainOfDependency reads aid and surge.
func (p *parser) strainOfDependency(e entry, d *Dependency) {
	if v := e.get("aid"); v != nil {
		d.Aid = p.aid(v)
	}
	if v := e.get("surge"); v != nil {
		d.Surge = p.surge(v)
	}
}

// checkStrainOfDependency checks what aid and surge say of the nodes they
// join: aid goes between two parties over a relation that carries an
// outage; a surge is on a dependency on a stock, while a node it names is
// short.
func checkStrainOfDependency(p *parser, ix *index, d *Dependency, from, to *Node) {
	file := d.Pos.File
	if d.Aid != nil && d.Fields.has("aid") {
		switch {
		case d.Type != "" && !d.Type.Info().Carries.Has(Outage):
			p.addIn(file, SevError, d.At("aid"), fmt.Sprintf("aid on %s dependency", article(string(d.Type))),
				"aid fills a shortfall of a service or hosting provider; put it on a dependency of type service")
		case d.Surge != nil:
			p.addIn(file, SevError, d.At("aid"), "aid and surge on one dependency", "a helper is not a stock; give aid and surge on separate dependencies")
		case to != nil && from != nil && to.Operator == from.ID:
			p.addIn(file, SevError, d.At("aid"), fmt.Sprintf("aid from %q to %q, which runs it", d.To, d.From),
				"aid is help from another party; an organisation's own service is an ordinary dependency")
		case to != nil && to.Kind == StockKind:
			p.addIn(file, SevError, d.At("aid"), fmt.Sprintf("aid from the stock %q", d.To), "a stock runs down instead of helping; give its consumers surge instead")
		}
	}
	if d.Surge != nil {
		if to != nil && to.Kind != StockKind {
			p.addIn(file, SevError, d.At("surge"), fmt.Sprintf("surge on a dependency on %q, which is not a stock", d.To),
				"surge raises a consumer's draw on a service of kind stock; make the provider a stock, or remove surge")
		}
		if w := d.Surge.When; w.Value != "" {
			ix.resolve(p, file, w.Pos, "surge when", w.Value)
		}
	}
}

// stockAlertAfter reads expect's stock_alert_after: stock: days.
func (p *parser) stockAlertAfter(n *yaml.Node) []OutageLimit {
	return p.idDays(n, "stock_alert_after", "write stock: days, such as {o-negative: 14}", func(id string) string {
		return fmt.Sprintf("the fewest days from the attack before %q may cross its alert, from 0 to %d", id, maxDays)
	})
}

// aidLinkKeys are the keys of an entry of assume's aid.
var aidLinkKeys = append([]string{"from", "to"}, aidKeys...)

// aidLink reads an entry of assume's aid: {from, to} and the keys of aid.
func (p *parser) aidLink(n *yaml.Node) (AidLink, bool) {
	e, ok := p.object(n, "aid entry", aidLinkKeys)
	if !ok {
		return AidLink{}, false
	}
	l := AidLink{Pos: p.at(e.node)}
	good := true
	for _, key := range []string{"from", "to"} {
		v := p.required(e, key, "aid entry")
		if v == nil {
			good = false
			continue
		}
		id, ok := p.id(v, "aid "+key)
		good = good && ok
		if key == "from" {
			l.From = Ref{id, p.at(v)}
		} else {
			l.To = Ref{id, p.at(v)}
		}
	}
	// The terms of the aid are the entry less from and to.
	terms := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: e.node.Style, Line: e.node.Line, Column: e.node.Column}
	for i := 0; i+1 < len(e.node.Content); i += 2 {
		if k := e.node.Content[i].Value; k != "from" && k != "to" {
			terms.Content = append(terms.Content, e.node.Content[i], e.node.Content[i+1])
		}
	}
	l.Aid = p.aid(terms)
	return l, good && l.Aid != nil
}

// stockChanges reads assume's stock: id: {days, alert}, either or both.
func (p *parser) stockChanges(n *yaml.Node) []StockChange {
	if n == nil || isNull(n) {
		return nil
	}
	d := deref(n)
	if d.Kind != yaml.MappingNode {
		p.errorf(n, "write id: {days, alert}, such as {nhsbt-o-neg: {days: 8}}", "assume stock must be a mapping, not %s", describe(n))
		return nil
	}
	var out []StockChange
	for i := 0; i+1 < len(d.Content); i += 2 {
		k := deref(d.Content[i])
		id, ok := p.id(k, "id in assume stock")
		if !ok {
			continue
		}
		if prev := earlierKey(d, i); prev != nil {
			p.errorf(k, fmt.Sprintf("first at line %d; remove one of them", prev.Line), "duplicate key %q in assume stock", id)
			continue
		}
		e, ok := p.object(d.Content[i+1], "assume stock for "+id, stockKeys)
		if !ok {
			continue
		}
		c := StockChange{ID: Ref{id, p.at(k)}, Pos: p.at(e.node)}
		good := true
		if v := e.get("days"); v != nil {
			f, ok := p.days(v, "stock days", "days is the stock held, in days of normal demand, above 0")
			if ok && f == 0 {
				p.errorf(v, "days is the stock held, in days of normal demand, above 0", "stock days is 0")
				ok = false
			}
			c.Days, good = &f, good && ok
		}
		if v := e.get("alert"); v != nil {
			f, ok := p.days(v, "stock alert", "alert is the level, in days of normal demand, below which the stock's consumers are strained, 0 or more")
			c.Alert, good = &f, good && ok
		}
		if e.get("days") == nil && e.get("alert") == nil {
			p.errorf(e.node, "give days, alert or both, such as {days: 8}", "assume stock for %q changes nothing", id)
			good = false
		}
		if good {
			out = append(out, c)
		}
	}
	return out
}

// checkAssumeStrain checks a scenario's aid and stock assumptions against
// the model: aid between two parties, neither a stock, the helper not run
// by the consumer; a stock that is one, its alert not above its days.
func checkAssumeStrain(s *Scenario, ix *index, p *parser) {
	file := s.Pos.File
	for _, l := range s.Assume.Aid {
		from := ix.resolve(p, file, l.From.Pos, "aid from", l.From.Value)
		to := ix.resolve(p, file, l.To.Pos, "aid to", l.To.Value)
		if from == nil || to == nil {
			continue
		}
		switch {
		case from == to:
			p.errs = append(p.errs, &Error{File: file, Pos: l.To.Pos, Msg: fmt.Sprintf("aid from %q to itself", l.To.Value), Hint: "aid is help from another party: name a neighbour's service under to"})
		case to.Operator == from.ID:
			p.errs = append(p.errs, &Error{File: file, Pos: l.To.Pos, Msg: fmt.Sprintf("aid from %q to %q, which runs it", l.To.Value, l.From.Value), Hint: "aid is help from another party; an organisation's own service is an ordinary dependency"})
		case to.Kind == StockKind:
			p.errs = append(p.errs, &Error{File: file, Pos: l.To.Pos, Msg: fmt.Sprintf("aid from the stock %q", l.To.Value), Hint: "a stock runs down instead of helping; change it with assume stock instead"})
		}
	}
	for _, c := range s.Assume.Stocks {
		n := ix.resolve(p, file, c.ID.Pos, "assume stock id", c.ID.Value)
		if n == nil {
			continue
		}
		if n.Stock == nil {
			p.errs = append(p.errs, &Error{File: file, Pos: c.ID.Pos, Msg: fmt.Sprintf("assume stock: %q is not a stock", c.ID.Value),
				Hint: "assume stock changes a service of kind stock with stock: {days, alert}"})
			continue
		}
		days, alert := n.Stock.Days, n.Stock.Alert
		if c.Days != nil {
			days = *c.Days
		}
		if c.Alert != nil {
			alert = *c.Alert
		}
		if alert > days {
			p.errs = append(p.errs, &Error{File: file, Pos: c.Pos, Msg: fmt.Sprintf("assume stock: the alert %v of %q is above its days %v", alert, c.ID.Value, days),
				Hint: "alert is a level below the stock held, from 0 to its days"})
		}
	}
}
