package syncengine

import "fmt"

// checkChange refuses change i of a plan the engine could not have made:
// of a collection it does not sync, or writing a side its direction does
// not flow into. A saved plan is a file anyone may have edited; however it
// was, a one-way pair never writes its source.
func (e *Engine) checkChange(i int, ch *Change) error {
	cr := e.collection(ch.Collection)
	if cr == nil {
		return fmt.Errorf("%w: the plan holds collection %q, which the engine does not sync", ErrWrongPlan, ch.Collection)
	}
	for _, s := range ch.sidesWritable() {
		if (s != SideA && s != SideB) || e.rules(cr, s) == nil {
			return fmt.Errorf("%w: change %d (%s %s, a %q, b %q) writes side %q, which direction %s does not write",
				ErrWrongPlan, i, ch.Action, ch.Collection, ch.AID, ch.BID, s, e.cfg.Direction)
		}
	}
	return nil
}

// sidesWritable lists every side applying c may write: a create's target
// (the side that is not its source), and the sides of its field and
// reference diffs, whether or not the record exists (writtenSides says
// which existing records are written). A create whose source is neither
// side writes an unknown side.
func (c *Change) sidesWritable() []Side {
	out := make([]Side, 0, 1+len(c.Fields)+len(c.Refs))
	if c.Action == ActionCreate {
		switch c.Source {
		case SideA, SideB:
			out = append(out, c.Source.other())
		default:
			out = append(out, c.Source)
		}
	}
	for _, d := range c.Fields {
		out = append(out, d.Side)
	}
	for _, r := range c.Refs {
		out = append(out, r.Side)
	}
	return out
}
