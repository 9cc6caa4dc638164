package syncengine

import (
	"context"
	"fmt"
	"strings"
)

// SourceFielderOf is implemented by FieldMaps that can say which source
// fields feed one target (mapping.Map does): Rules.SameSchema then compares
// a target field with the source field the map reads for it.
type SourceFielderOf interface {
	SourceFieldsOf(target string) []string
}

// schemaDrop returns, for the direction into target side ti, the
// SameSchema fields that do not flow, and notes the verdict of each.
func (cp *collPlan) schemaDrop(ctx context.Context, ti int, r *Rules) (map[string]bool, error) {
	if len(r.SameSchema) == 0 {
		return nil, nil
	}
	var schemas [2]map[string]string
	for i := range schemas {
		conn := cp.e.conn(sideOf(i))
		sc, ok := conn.(Schemer)
		if !ok {
			return nil, fmt.Errorf("%w: %s rules name SameSchema fields but %s cannot tell its schema (not a syncengine.Schemer)",
				ErrConfig, cp.cr.Collection, conn.Name())
		}
		fields, err := sc.Schema(ctx, cp.cr.Collection)
		if err != nil {
			return nil, fmt.Errorf("syncengine: read the %s schema of %s: %w", cp.cr.Collection, conn.Name(), err)
		}
		schemas[i] = make(map[string]string, len(fields))
		for _, f := range fields {
			schemas[i][f.Name] = f.Type
		}
	}
	si := 1 - ti
	src, tgt := cp.e.conn(sideOf(si)).Name(), cp.e.conn(sideOf(ti)).Name()
	sf, _ := r.Map.(SourceFielderOf)
	drop := map[string]bool{}
	for _, f := range r.SameSchema {
		tt, tok := schemas[ti][f]
		// The source field is the one the map reads for f (TalentHR's
		// standard hire_date for TalentLMS's custom hireDate); without a
		// map, or one that cannot say, the field of the same name.
		from := f
		if sf != nil {
			if srcs := sf.SourceFieldsOf(f); len(srcs) > 0 {
				from = srcs[0]
			}
		}
		st, sok := schemas[si][from]
		note := FieldNote{Collection: cp.cr.Collection, Target: sideOf(ti), Field: f}
		switch {
		case from == f && !sok && !tok:
			note.Why = fmt.Sprintf("neither %s nor %s has a field named %q", src, tgt, f)
		case !sok:
			note.Why = fmt.Sprintf("%s has no field named %q", src, from)
		case !tok:
			note.Why = fmt.Sprintf("%s has no field named %q", tgt, f)
		case !strings.EqualFold(st, tt) && from == f:
			note.Why = fmt.Sprintf("%s in %s, %s in %s", st, src, tt, tgt)
		case !strings.EqualFold(st, tt):
			note.Why = fmt.Sprintf("%s in %s (%s), %s in %s", st, src, from, tt, tgt)
		default:
			note.Carried, note.Why = true, fmt.Sprintf("%s on both sides", st)
		}
		if !note.Carried {
			drop[f] = true
		}
		cp.st.plan.Fields = append(cp.st.plan.Fields, note)
	}
	return drop, nil
}
