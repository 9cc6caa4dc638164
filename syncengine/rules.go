package syncengine

// Building blocks of a pair preset: the match keys and rules most
// collections use, so that a preset names what differs and no more.

// MatchOn matches by a target field's exact value (an external id).
func MatchOn(field string) MatchKey { return MatchKey{Field: field} }

// MatchFold matches by a target field compared case-insensitively after
// trimming spaces: an email, a username, a course code.
func MatchFold(field string) MatchKey { return MatchKey{Field: field, Fold: true} }

// MatchEnrollment matches an enrollment by its user and its course
// (RoleUser, RoleCourse) through the link table, so a second run over an
// existing enrollment writes nothing.
func MatchEnrollment() MatchKey { return MatchKey{Refs: []string{RoleUser, RoleCourse}} }

// Upsert is the rules of a direction that creates and updates target
// records through m, matched by the keys in order, and never deactivates
// one: teams, groups, courses.
func Upsert(m FieldMap, match ...MatchKey) Rules {
	return Rules{Map: m, Match: match, Create: true, Update: true}
}

// Mirror is Upsert whose targets also follow the source's active flag:
// deactivated when the source is inactive (or, by Config.OutOfScope, out
// of scope), reactivated when it is active again. Set Refs on the result
// to write managers and memberships too.
func Mirror(m FieldMap, match ...MatchKey) Rules {
	r := Upsert(m, match...)
	r.Deactivate, r.Reactivate = true, true
	return r
}

// Enroll is the rules of a direction that creates enrollments, each
// carrying its user and course references, matched by MatchEnrollment,
// and never updates or removes one; fields limits what the create
// writes (nil: every field).
func Enroll(fields ...string) Rules {
	return Rules{Match: []MatchKey{MatchEnrollment()}, Create: true, Refs: true, Fields: fields}
}
