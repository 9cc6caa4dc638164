package talenthr

import (
	"context"
	"encoding/json"
)

// idNames returns kind's names by id, reading the list once for the
// connector's life (languages and employment statuses change rarely).
func (k *Connector) idNames(ctx context.Context, kind LookupKind) (map[string]string, error) {
	k.nmu.Lock()
	defer k.nmu.Unlock()
	if m, ok := k.names[kind]; ok {
		return m, nil
	}
	list, err := k.client.ListLookups(ctx, kind)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(list))
	for _, l := range list {
		m[l.ID] = l.Name
	}
	if k.names == nil {
		k.names = map[LookupKind]map[string]string{}
	}
	k.names[kind] = m
	return m, nil
}

// languageNamer returns what turns hr_languages ids into names: the
// language list when the plan reads hr_languages (one call, once), else
// nothing. An id the list lacks stays as it is.
func (k *Connector) languageNamer(ctx context.Context, plan readPlan) (func([]string) []any, error) {
	var names map[string]string
	if plan.fields["hr_languages"] {
		var err error
		if names, err = k.idNames(ctx, Languages); err != nil {
			return nil, err
		}
	}
	return func(ids []string) []any {
		out := make([]any, 0, len(ids))
		for _, id := range ids {
			out = append(out, orElse(names[id], id))
		}
		return out
	}, nil
}

// jobStatus reads an employee's employment status from the job history
// (GET /employees/{id}/job), for an employee reply that lacks it: the
// latest record in effect today, else (a future hire) the first one to
// come. The records' shape is not published: the name is read from
// employment_status_name or an employment_status object or text, else the
// id is looked up.
func (k *Connector) jobStatus(ctx context.Context, id string, today Date) (string, error) {
	job, err := k.client.GetJobInfo(ctx, id)
	if err != nil {
		return "", err
	}
	var cur, next *statusRecord
	for _, raw := range job.EmploymentStatuses {
		r, ok := decodeStatusRecord(raw)
		switch {
		case !ok:
		case !r.at.After(today):
			if cur == nil || !r.at.Before(cur.at) {
				cur = &r
			}
		case next == nil || r.at.Before(next.at):
			next = &r
		}
	}
	if cur == nil {
		cur = next
	}
	switch {
	case cur == nil:
		return "", nil
	case cur.name != "" || cur.id == "":
		return cur.name, nil
	}
	names, err := k.idNames(ctx, EmploymentStatuses)
	if err != nil {
		return "", err
	}
	return names[cur.id], nil
}

// statusRecord is one employment-status record of the job history.
type statusRecord struct {
	at       Date
	name, id string
}

func decodeStatusRecord(raw json.RawMessage) (statusRecord, bool) {
	var r struct {
		Effective Date            `json:"effective_date"`
		Name      json.RawMessage `json:"employment_status_name"`
		Status    json.RawMessage `json:"employment_status"`
		ID        json.RawMessage `json:"employment_status_id"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return statusRecord{}, false
	}
	name, _ := plainValue(r.Name).(string)
	if name == "" {
		name, _ = plainValue(r.Status).(string)
	}
	id, _ := scalarText(r.ID)
	return statusRecord{at: r.Effective, name: name, id: id}, true
}
