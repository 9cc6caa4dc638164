package talenthr

import (
	"context"
	"fmt"

	"github.com/rostersync/rostersync/syncengine"
)

// WriteRefs implements syncengine.RefWriter: "manager" sets
// reports_to_employee_id with one PUT; an empty list makes the employee
// head of the company (TalentHR's null). Other roles are refused. For an
// enrollment of the Training store it writes nothing: its "user" and
// "course" are the enrollment itself, so refs equal to them are accepted
// and others refused.
func (k *Connector) WriteRefs(ctx context.Context, c syncengine.Collection, id string, refs map[string][]syncengine.Ref) error {
	if c == syncengine.Enrollments && k.train != nil {
		return k.train.confirmRefs(ctx, id, refs)
	}
	if c != syncengine.Users {
		return unsupported(c, "write refs of")
	}
	op := "set the manager of employee " + clipText(id, 20)
	if err := employeeID(ctx, op, id); err != nil {
		return err
	}
	if _, set := refs[syncengine.RoleManager]; !set && len(refs) == 0 {
		return nil
	}
	mgr, err := managerRef(refs, true)
	if err != nil {
		return fmt.Errorf("talenthr: %s: %w", op, err)
	}
	if mgr.IsUnset() {
		return nil
	}
	return k.client.UpdateEmployee(ctx, id, UpdateEmployeeParams{ReportsToEmployeeID: mgr})
}

// managerRef reads the "manager" ref: unset when absent, null for an
// empty list when clear allows it, else the one manager id.
func managerRef(refs map[string][]syncengine.Ref, clear bool) (Field[string], error) {
	for role := range refs {
		if role != syncengine.RoleManager {
			return Field[string]{}, fmt.Errorf("ref role %q: TalentHR employees have only a %q: %w", role, syncengine.RoleManager, syncengine.ErrUnsupported)
		}
	}
	list, set := refs[syncengine.RoleManager]
	switch {
	case !set || (len(list) == 0 && !clear):
		return Field[string]{}, nil
	case len(list) == 0:
		return Null[string](), nil
	case len(list) > 1:
		return Field[string]{}, fmt.Errorf("%d managers: a TalentHR employee reports to one: %w", len(list), syncengine.ErrInvalid)
	case list[0].Collection != syncengine.Users || checkID(list[0].ID) != nil:
		return Field[string]{}, fmt.Errorf("manager %s/%q is not a TalentHR employee id: %w", list[0].Collection, clipText(list[0].ID, 20), syncengine.ErrInvalid)
	}
	return Set(list[0].ID), nil
}
