package syncengine

import "errors"

// updateErr is the part of a FieldMap error that matters to an update of
// target side ti: the per-field errors (FieldTargetError) about
// create-only targets are dropped, since updates never write those
// targets. It returns nil when nothing else failed.
func (cp *collPlan) updateErr(ti int, err error) error {
	if err == nil || cp.co[ti] == nil {
		return err
	}
	multi, ok := err.(interface{ Unwrap() []error })
	if !ok {
		if cp.createOnlyErr(ti, err) {
			return nil
		}
		return err
	}
	errs := multi.Unwrap()
	kept := make([]error, 0, len(errs))
	for _, e := range errs {
		if !cp.createOnlyErr(ti, e) {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(errs) {
		return err
	}
	return errors.Join(kept...) // nil when every error was dropped
}

// createOnlyErr reports whether err is only about create-only targets of
// side ti: it names such a target itself, or it names none and every
// error it wraps is only about such targets.
func (cp *collPlan) createOnlyErr(ti int, err error) bool {
	if err == nil {
		return false
	}
	if fe, ok := err.(FieldTargetError); ok {
		return cp.createOnly(ti, fe.FieldTarget())
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		errs := u.Unwrap()
		for _, e := range errs {
			if !cp.createOnlyErr(ti, e) {
				return false
			}
		}
		return len(errs) > 0
	case interface{ Unwrap() error }:
		return cp.createOnlyErr(ti, u.Unwrap())
	}
	return false
}

// fieldFailures lists the per-field errors (FieldTargetError) in err's
// tree, in order; nil when err names no target.
func fieldFailures(err error) []FieldFailure {
	if fe, ok := err.(FieldTargetError); ok {
		f := FieldFailure{Target: fe.FieldTarget()}
		if fs, ok := err.(FieldSourceError); ok {
			f.Source = fs.FieldSource()
		}
		return []FieldFailure{f}
	}
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		var out []FieldFailure
		for _, e := range u.Unwrap() {
			out = append(out, fieldFailures(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return fieldFailures(u.Unwrap())
	}
	return nil
}
