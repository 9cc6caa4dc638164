// Package mapping turns a record from one system into the fields of
// another, as data a user can read, load from JSON, diff and unit-test.
//
// A Map is an ordered list of rules. Each rule writes one target field from
// a source (one field path, several paths, or a constant) through a chain
// of named transforms, with an optional default, a Required flag, and a
// When ("always", or "create" for fields written only when the record is
// created, like Entra's "only during object creation"):
//
//	{"name": "hr-to-lms", "rules": [
//	  {"target": "UserName", "source": "workEmail", "transforms": ["trim", "lower", "email"], "required": true},
//	  {"target": "HireDate", "source": "hireDate", "transforms": [{"name": "date", "args": {"from": "date", "to": "wcf"}}]},
//	  {"target": "AccessLevel", "constant": "Learner", "when": "create"}
//	]}
//
// Load (or Compile, from a Spec built in Go) validates the whole map and
// compiles paths and transform chains once, so Apply does no parsing; a
// problem is reported with the rule index, the target and what was wrong.
// Apply runs every rule; a failing rule gives a *FieldError (target, rule,
// source value, redacted for secret-looking fields) and never stops the
// others. Presets for the jobs rostersync ships are data too (Preset),
// their team, group and course maps included; PresetOr gives an option's
// default map, and Map.OnlyOnCreate the map of a side that only adds.
// Package mappingtest asserts a map in one call and explains its output.
//
// # Any HR system to any learning platform
//
// Maps meet in a canonical person (PersonFields: names, emails, phones,
// address, job title, department, division, location, team, manager,
// hire and leave dates, language, employee number, active). There is one
// preset per system into the person and one per platform out of it, and
// Compose joins any two into a single map:
//
//	hr, _ := mapping.Preset(mapping.PresetHiBobPerson)      // or bamboohr-person, talenthr-person, talentlms-person
//	lms, _ := mapping.Preset(mapping.PresetPersonLearnAmp)  // or person-litmos, person-talentlms, person-talenthr
//	m, err := mapping.Compose(hr, lms)                       // HiBob employee → Learn Amp user, in one pass
//
// Person fields have flat dotted names ("email.work", "address.city"),
// one meaning and one kind of value each (see the Person constants). Every
// person preset has skip_missing set, so a field the source left out
// (hidden from the credentials, not fetched) never clears the platform's,
// while an emptied one does; the in map decides, the out map follows. A
// map into the person lists under "absent" the person fields its system
// does not have (HiBob's people search has no postal code), so every pair
// composes, and a typo fails at Compose, not as an empty field in
// production:
//
//	{"name": "hibob-person", "options": {"skip_missing": true}, "rules": [...],
//	 "absent": ["address.line1", "address.line2", "address.postal_code", "division", "language"]}
//
// The composed map is a map like any other: Apply, ApplyTo, Trace,
// SourceFields (the HR system's own fields, for the connector to fetch),
// CreateOnly, Save, Reverse. A field error names the platform's field and
// the HR system's field it came from, whichever of the two rules failed:
//
//	mapping "bamboohr-person+person-litmos": rule 0 → UserName (from workEmail " ana@ "): email: invalid email address: nothing after @
//
// As data, a composed map holds the second map's rules and, under "from",
// the part of the first map they read (Spec.From); such a pipeline can be
// written, saved and loaded by hand too. A rule is create-only when it says
// so or when all it reads comes from create-only rules (a TalentLMS login
// set once from the work email stays create-only after composing).
//
// # Seed presets refine the composition
//
// The pairs rostersync ships as jobs keep their own presets (bamboohr-litmos,
// hibob-learnamp, talenthr-talentlms, talentlms-talenthr). A test holds
// each to the composition of its person maps: on every target both write,
// they give the same value or the same field error. Where they differ, the
// seed refines:
//
//   - bamboohr-litmos: nothing; Compose(bamboohr-person, person-litmos)
//     writes the same 15 fields, ExternalEmployeeId and the create-only
//     AccessLevel included.
//   - hibob-learnamp: nothing; Compose(hibob-person, person-learnamp)
//     writes the same 10 fields from the hibob connector's records, with
//     skip_missing like the seed.
//   - talenthr-talentlms, talentlms-talenthr: these seeds
//     have no skip_missing, so a source field absent from the record writes
//     an empty target, where the composition leaves the target alone.
//   - talenthr-talentlms also carries the dateOfBirth and ssn custom fields,
//     and talentlms-talenthr birth_date and ssn back: personal data that is
//     no person field.
//
// To refine a composition yourself, change either map's Spec and compose
// again: add a rule to the in map writing a field of your own and one to
// the out map reading it (see the Compose example with the date of birth),
// or read a custom field into a person field (HiBob's sub-department into
// "team"). To refine a seed, edit its Spec.
//
// # Reusing the output map
//
// ApplyTo (and ApplyModeTo) map into a map the caller passes and clears,
// with the same result as Apply: a sync mapping thousands of records
// allocates its output once, and a record whose values need no change maps
// without allocating. A map whose every target is a top-level field
// (FlatTargets) also maps into two slices, values and whether each was
// written (ApplyValues): the sync engine compares linked records that way,
// with no map insert per field. The engine calls both only on the Map
// itself (OwnsFastPaths): a type embedding *Map that overrides Apply is
// mapped with its Apply.
//
// # Paths
//
// Source and target paths are dotted ("work.department"), or slashed when
// they start with '/' ("/work/title"). A key equal to the whole path wins,
// a numeric segment indexes a list, a value wrapped as {"value": v} reads
// as v, and a first segment "root" names the top level when the record has
// no "root" key (HiBob's notation).
//
// # Values and emptiness
//
// Values are what JSON decoding gives (string, float64, bool, nil, nested
// map[string]any and []any) plus time.Time and Reference. A value is empty
// when it is nil, text of only white space, a list of only empty elements
// (several sources, all missing), or an empty object. An
// empty result takes the rule's default, then fails a Required rule; an
// ignore-if-empty step (or the OmitEmpty option) leaves the target absent
// from the output instead of writing an empty value. Transforms pass nil
// through, and scalar transforms given a list (from several sources) apply
// to each element.
//
// # Missing versus empty sources
//
// A source path is absent when the record has no such key (a key missing
// on the way, a list index out of range, a step landing on a scalar); it
// is present and empty when the record holds null or blank text there (a
// null on the way, {"work": null} for "work.department", counts as
// present). By default both read as nil, so an absent source writes an
// empty target, which a sync copies on, clearing the target's value.
//
// Some sources leave out what their credentials may not see: BambooHR
// omits fields hidden from the API key's user
// (https://documentation.bamboohr.com/reference/get-employee), and its
// connector leaves them out of the record. With the map option
// "skip_missing" (Options.SkipMissing) a rule whose every source path is
// absent writes no target at all, so a permission change never wipes data
// downstream, while an explicit null or "" still maps as empty and clears
// it:
//
//	{"name": "hr-to-lms", "options": {"skip_missing": true}, "rules": [...]}
//
//	source      default           skip_missing
//	"555"       "555"             "555"
//	"" or null  empty (default)   empty (default)
//	absent      empty (default)   no target (default not applied)
//
// A Required rule with every source absent still fails with ErrRequired,
// and a Constant rule has no source and always writes.
//
// # Transforms
//
// Text (numbers and bools are read as text; other kinds are an error):
//
//	lower, upper, trim                  no arguments
//	title                               separators (default " \t-'"): "mary-jane o'neil" → "Mary-Jane O'Neil"
//	normalize-diacritics                Latin letters to ASCII (Latin-1, Extended-A/B, Vietnamese): "Zoë Ñúñez" → "Zoe Nunez", ß → ss, ș → s
//	split                               sep (required), index (optional, negative from the end)
//	join                                sep; joins a list's non-empty elements
//	substring                           start (runes, >= 0), length (optional)
//	regex-replace                       pattern (RE2), replacement ($1, ${name})
//	prefix, suffix                      value; empty text stays empty
//
// Dates:
//
//	date    from: a layout or a list tried in order (default: RFC 3339, 2006-01-02, /Date(ms)/ and ISO variants)
//	        to: output layout (absent: a time.Time; "unix"/"unixms": an int64)
//	        on_error: "fail" (default) or "empty"
//
// Layouts are Go reference layouts or the names date (2006-01-02), rfc3339,
// unix (seconds), unixms, wcf (Litmos' /Date(1497801750508+0000)/) and
// talentlms (21/08/2020, 07:05:00). "0000-00-00" (BambooHR) reads as empty.
//
// Values:
//
//	lookup           table (text keys), default (optional; else an unmatched value is an error), ignore_case
//	coalesce         the first non-empty element of a list (several sources)
//	constant         value
//	to-bool          true/false, yes/no, y/n, 1/0, on/off, checked/unchecked, "checkbox", t/f (any case)
//	to-string        numbers without exponent, bools, times as RFC 3339
//	email            fails unless the text is a plausible address; passes it unchanged
//	ignore-if-empty  leaves the target absent when the value is empty
//	reference        collection; the value becomes a Reference the sync engine translates to the target's id
//
// Register your own with a Registry (DefaultRegistry().Register) and
// compile with WithRegistry.
//
// # Reverse
//
// Reverse builds the map for the other direction of a two-way job when
// every rule can be undone (see Map.Reverse), and otherwise lists the rules
// that cannot. A composed map reverses to the reversed maps composed the
// other way round.
package mapping
