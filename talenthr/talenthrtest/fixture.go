package talenthrtest

import (
	"encoding/json"

	"github.com/rostersync/rostersync/talenthr"
)

// Fixture is a company for Seed, by names rather than ids, so that it can
// be written as data (a JSON file, say): the lookups it adds first, in
// order, and its people.
type Fixture struct {
	// Lookups are added kind by kind, in the order given: departments,
	// divisions, locations with their addresses, job titles.
	Lookups map[talenthr.LookupKind][]Lookup
	People  []Person
}

// Person is an employee named by the names of its lookups. Its
// Employee's lookup ids are set from them (a missing department,
// division, location or job title is added), and Languages, by name,
// become its profile's hr_languages. Manager names an earlier person by
// email.
type Person struct {
	Employee
	JobTitle, Department, Division, Location string
	Languages                                []string
	Manager                                  string
}

// Seed adds f's lookups, then its people, and returns their ids by email.
// A language the fake does not know, or a manager not seeded before,
// fails the test.
func (s *Server) Seed(f Fixture) map[string]string {
	for _, kind := range []talenthr.LookupKind{talenthr.Departments, talenthr.Divisions, talenthr.Locations,
		talenthr.JobTitles, talenthr.EmploymentStatuses, talenthr.Languages} {
		for _, l := range f.Lookups[kind] {
			s.AddLookup(kind, l)
		}
	}
	ids := map[string]string{}
	for _, p := range f.People {
		e := p.Employee
		for _, ref := range []struct {
			id   *string
			kind talenthr.LookupKind
			name string
		}{{&e.JobTitleID, talenthr.JobTitles, p.JobTitle}, {&e.DepartmentID, talenthr.Departments, p.Department},
			{&e.DivisionID, talenthr.Divisions, p.Division}, {&e.LocationID, talenthr.Locations, p.Location}} {
			if ref.name != "" {
				*ref.id = s.lookupOrAdd(ref.kind, ref.name)
			}
		}
		if len(p.Languages) > 0 {
			e.Profile = cloneAny(e.Profile)
			if e.Profile == nil {
				e.Profile = map[string]any{}
			}
			var langs []any
			for _, l := range p.Languages {
				id := s.LookupID(talenthr.Languages, l)
				if id == "" {
					s.fatalf("Seed: %s: no language %q", p.Email, l)
				}
				langs = append(langs, json.Number(id))
			}
			e.Profile["hr_languages"] = langs
		}
		if p.Manager != "" {
			if e.ReportsToEmployeeID = ids[p.Manager]; e.ReportsToEmployeeID == "" {
				s.fatalf("Seed: %s: manager %q is not an earlier person", p.Email, p.Manager)
			}
		}
		ids[e.Email] = s.AddEmployee(e)
	}
	return ids
}

// lookupOrAdd returns the id of kind's entry name, adding it when missing.
func (s *Server) lookupOrAdd(kind talenthr.LookupKind, name string) string {
	if id := s.LookupID(kind, name); id != "" {
		return id
	}
	return s.AddLookup(kind, Lookup{Name: name})
}
