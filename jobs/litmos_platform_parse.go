package jobs

import (
	"errors"
	"fmt"
	"strings"
)

// The choices of the Litmos → platform job as a command line or a setup
// form writes them.

// ParseLitmosContent reads "courses" or "courses-and-users".
func ParseLitmosContent(s string) (LitmosContent, error) {
	if c := LitmosContent(strings.TrimSpace(s)); c == LitmosCourses || c == LitmosCoursesAndUsers {
		return c, nil
	}
	return "", fmt.Errorf("want %s or %s", LitmosCourses, LitmosCoursesAndUsers)
}

// ParseLitmosTeams reads "all" (nil: every team, new ones included from
// then on) or team names or ids, comma-separated, for litmos.Client.ResolveTeams.
func ParseLitmosTeams(s string) ([]string, error) {
	if strings.TrimSpace(s) == "all" {
		return nil, nil
	}
	var teams []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			teams = append(teams, t)
		}
	}
	if teams == nil {
		return nil, errors.New("no team names (give all, or NAME,NAME)")
	}
	return teams, nil
}

// ParseAssignment reads a remediation request written
// EMAIL=COURSE_ID[,COURSE_ID] (a command line's or a form's), trimming
// spaces and dropping empty ids.
func ParseAssignment(s string) (email string, courseIDs []string, err error) {
	email, courses, _ := strings.Cut(s, "=")
	for _, c := range strings.Split(courses, ",") {
		if c = strings.TrimSpace(c); c != "" {
			courseIDs = append(courseIDs, c)
		}
	}
	if email = strings.TrimSpace(email); email == "" || len(courseIDs) == 0 {
		return "", nil, fmt.Errorf("jobs: assignment %q: want EMAIL=COURSE_ID[,COURSE_ID]", s)
	}
	return email, courseIDs, nil
}
