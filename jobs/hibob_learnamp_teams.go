package jobs

import (
	"fmt"
	"strings"

	"github.com/rostersync/rostersync/mapping"
)

// teamsTarget is the users map's target that makes the primary team.
const teamsTarget = "teams"

// hibobTeamField is the hibob connector's TeamField: the one record key
// the users map's "teams" rule reads ("work.department.id" in the preset:
// the departments; a sub-department field: its values), so that the teams
// the job makes are those the references name. A map with no teams rule
// keeps the departments; one whose rule reads several keys is refused,
// since teams come from one field.
func hibobTeamField(m *mapping.Map) (string, error) {
	src := m.SourceFieldsOf(teamsTarget)
	switch len(src) {
	case 0:
		return "", nil
	case 1:
		return src[0], nil
	}
	return "", fmt.Errorf("map %q: the %q rule reads %s: the teams come from one HiBob field, so it must read one",
		m.Name(), teamsTarget, strings.Join(src, ", "))
}
