package syncengine

import (
	"fmt"
	"strconv"
	"strings"
)

// String prints the plan the way Terraform does: one block per record
// that changes or needs attention (+ create, ~ update, - deactivate,
// ! conflict, x error, # skip), then a summary line such as
// "Plan: 3 to create, 2 to update, 1 to deactivate, 0 conflicts, 1 error."
// Unchanged and out-of-scope records are only counted.
func (p *Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan for %s (%s %s %s)\n", p.Pair, p.A, arrow(p.Direction), p.B)
	for i := range p.Changes {
		p.writeChange(&b, &p.Changes[i])
	}
	if len(p.Fields) > 0 {
		b.WriteString("\nFields carried only where both sides have them:\n")
		for _, f := range p.Fields {
			verdict := "not carried"
			if f.Carried {
				verdict = "carried"
			}
			fmt.Fprintf(&b, "  %s %s.%s: %s (%s)\n", f.Collection, p.name(f.Target), f.Field, verdict, f.Why)
		}
	}
	if p.Held != nil {
		fmt.Fprintf(&b, "\nDeactivation threshold exceeded: %d deactivations of %d target records (limit: %s); all held back.\n",
			p.Held.Deactivations, p.Held.TargetRecords, limitText(p.Held.Threshold))
	}
	b.WriteString("\n")
	b.WriteString(p.Summary().String())
	b.WriteString("\n")
	return b.String()
}

// String is the plan's summary line: "Plan: 27 to create, 0 to update,
// 0 to deactivate, 0 to reactivate; 1 failing, 2 skipped, 0 unchanged."
func (s Summary) String() string {
	return fmt.Sprintf("Plan: %d to create, %d to update, %d to deactivate, %d to reactivate; %d failing, %d skipped, %d unchanged.",
		s.Create, s.Update, s.Deactivate, s.Reactivate, s.Failing, s.Skip, s.Unchanged)
}

func arrow(d Direction) string {
	switch d {
	case AToB:
		return "->"
	case BToA:
		return "<-"
	}
	return "<->"
}

func limitText(t Threshold) string {
	var parts []string
	if t.MaxCount > 0 {
		parts = append(parts, strconv.Itoa(t.MaxCount))
	}
	if t.MaxPercent > 0 {
		parts = append(parts, strconv.FormatFloat(t.MaxPercent, 'f', -1, 64)+"%")
	}
	return strings.Join(parts, " and ")
}

var symbols = map[Action]string{
	ActionCreate: "+", ActionUpdate: "~", ActionDeactivate: "-", ActionReactivate: "~",
	ActionConflict: "!", ActionError: "x", ActionSkip: "#",
}

func (p *Plan) writeChange(b *strings.Builder, c *Change) {
	if c.Action == ActionSkip && (c.Reason == ReasonUnchanged || c.Reason == ReasonOutOfScope || c.Reason == ReasonInactive) && len(c.Due) == 0 {
		return
	}
	fmt.Fprintf(b, "\n  %s %s %s %s", symbols[c.Action], c.Action, c.Collection, p.ids(c))
	if c.Key != "" {
		fmt.Fprintf(b, " %q", c.Key)
	}
	if c.Name != "" {
		fmt.Fprintf(b, " [%s]", c.Name)
	}
	switch {
	case c.HeldReason != "":
		fmt.Fprintf(b, " (%s; %s)", c.Reason, c.HeldReason)
	case c.Reason != "":
		fmt.Fprintf(b, " (%s)", c.Reason)
	}
	b.WriteString("\n")
	if c.Error != "" {
		fmt.Fprintf(b, "      error: %s\n", c.Error)
	}
	if len(c.Due) > 0 {
		fmt.Fprintf(b, "      %s\n", dueText(c.Due))
	}
	for _, d := range c.Fields {
		p.writeDiff(b, c, d, "")
	}
	for _, d := range c.Blocked {
		p.writeDiff(b, c, d, "  (not written)")
	}
	for _, f := range c.Conflicts {
		if f.Sensitive && !p.ShowSensitive {
			fmt.Fprintf(b, "      ! %s.%s: changed on both sides %s (%s)\n", p.name(f.Side), f.Field, hiddenValue, f.Resolution)
			continue
		}
		fmt.Fprintf(b, "      ! %s.%s: changed on both sides: want %q, have %q, last synced %q (%s)\n",
			p.name(f.Side), f.Field, f.Want, f.Have, f.Synced, f.Resolution)
	}
	for _, r := range c.Refs {
		fmt.Fprintf(b, "      ~ %s.%s: %s -> %s", p.name(r.Side), r.Role, refsText(r.Old), refsText(r.New))
		if len(r.Unresolved) > 0 {
			fmt.Fprintf(b, "  (not written: %s not synced)", refList(r.Unresolved))
		}
		if r.Later {
			b.WriteString("  (written once both are created: a cycle)")
		}
		b.WriteString("\n")
	}
}

func (p *Plan) writeDiff(b *strings.Builder, c *Change, d FieldDiff, note string) {
	old, new := valueText(d.Old), valueText(d.New)
	switch {
	case p.ShowSensitive:
	case d.Sensitive:
		old, new = hiddenValue, hiddenValue
	case len(d.Hidden) > 0:
		old, new = valueText(hideLeaves(d.Old, d.Hidden)), valueText(hideLeaves(d.New, d.Hidden))
	}
	if c.AID == "" || c.BID == "" { // a record to be created
		fmt.Fprintf(b, "      + %s.%s = %s%s\n", p.name(d.Side), d.Field, new, note)
		return
	}
	fmt.Fprintf(b, "      ~ %s.%s: %s -> %s%s\n", p.name(d.Side), d.Field, old, new, note)
}

func (p *Plan) ids(c *Change) string {
	a, bb := c.AID, c.BID
	if a == "" {
		a = "(new)"
	}
	if bb == "" {
		bb = "(new)"
	}
	if c.Source == SideB {
		return fmt.Sprintf("%s:%s -> %s:%s", p.B, bb, p.A, a)
	}
	return fmt.Sprintf("%s:%s -> %s:%s", p.A, a, p.B, bb)
}

func (p *Plan) name(s Side) string {
	if s == SideA {
		return p.A
	}
	return p.B
}

func valueText(v any) string {
	if v == nil {
		return "(none)"
	}
	return strconv.Quote(Canonical(v))
}

func refsText(rs []Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		id := r.ID
		if id == "" {
			id = "(created in this run)"
		}
		parts[i] = string(r.Collection) + "/" + id
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
