package talenthr_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rostersync/rostersync/talenthr"
	"github.com/rostersync/rostersync/talenthr/talenthrtest"
)

// TestUpdateJSONTriState: unset keys are left out, Null sends null, Set
// sends the value; ids go as numbers.
func TestUpdateJSONTriState(t *testing.T) {
	tests := []struct {
		name    string
		p       talenthr.UpdateEmployeeParams
		want    string
		wantErr string
	}{
		{"nothing set", talenthr.UpdateEmployeeParams{}, `{}`, ""},
		{"one value", talenthr.UpdateEmployeeParams{City: talenthr.Set("Porto")}, `{"city":"Porto"}`, ""},
		{"empty string is a value", talenthr.UpdateEmployeeParams{WorkPhone: talenthr.Set("")}, `{"work_phone":""}`, ""},
		{"null clears", talenthr.UpdateEmployeeParams{City: talenthr.Null[string]()}, `{"city":null}`, ""},
		{"manager as number", talenthr.UpdateEmployeeParams{ReportsToEmployeeID: talenthr.Set("12")}, `{"reports_to_employee_id":12}`, ""},
		{"head of company", talenthr.UpdateEmployeeParams{ReportsToEmployeeID: talenthr.Null[string]()}, `{"reports_to_employee_id":null}`, ""},
		{"date", talenthr.UpdateEmployeeParams{BirthDate: talenthr.Set(talenthr.NewDate(1990, 12, 10))}, `{"birth_date":"1990-12-10"}`, ""},
		{"null date", talenthr.UpdateEmployeeParams{VisaExpiryDate: talenthr.Null[talenthr.Date]()}, `{"visa_expiry_date":null}`, ""},
		{"language ids", talenthr.UpdateEmployeeParams{HRLanguages: talenthr.Set([]string{"1", "9"})}, `{"hr_languages":[1,9]}`, ""},
		{"no languages", talenthr.UpdateEmployeeParams{HRLanguages: talenthr.Set([]string{})}, `{"hr_languages":[]}`, ""},
		{"field order", talenthr.UpdateEmployeeParams{Allergies: talenthr.Set("none"), FirstName: talenthr.Set("Ada")}, `{"first_name":"Ada","allergies":"none"}`, ""},
		{"first name cannot be cleared", talenthr.UpdateEmployeeParams{FirstName: talenthr.Null[string]()}, "", "first_name: cannot be cleared"},
		{"email cannot be empty", talenthr.UpdateEmployeeParams{Email: talenthr.Set(" ")}, "", "email: is empty"},
		{"zero date", talenthr.UpdateEmployeeParams{BirthDate: talenthr.Set(talenthr.Date{})}, "", "birth_date: is set to the zero Date"},
		{"bad manager id", talenthr.UpdateEmployeeParams{ReportsToEmployeeID: talenthr.Set("12a")}, "", `reports_to_employee_id: id "12a"`},
		{"leading zero id", talenthr.UpdateEmployeeParams{HRLanguages: talenthr.Set([]string{"01"})}, "", `hr_languages: id "01"`},
		{"bad relationship id", talenthr.UpdateEmployeeParams{EmergencyContact: talenthr.Set(talenthr.EmergencyContact{RelationshipTypeID: "x"})}, "", "emergency_contact"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.p)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(b) != tt.want {
				t.Fatalf("got %s, %v; want %s", b, err, tt.want)
			}
		})
	}
}

func TestUpdateJSONGolden(t *testing.T) {
	p := talenthr.UpdateEmployeeParams{
		FirstName:           talenthr.Set("Ada"),
		BirthDate:           talenthr.Set(talenthr.NewDate(1990, 12, 10)),
		City:                talenthr.Null[string](),
		ReportsToEmployeeID: talenthr.Null[string](),
		EmployeeNumber:      talenthr.Set("LMS-4138001"),
		EmergencyContact:    talenthr.Set(talenthr.EmergencyContact{FullName: "Charles Babbage", RelationshipTypeID: "5", Phone: "+44 20 0000 0000"}),
		HRLanguages:         talenthr.Set([]string{"1", "2"}),
		HRFamily: talenthr.Set([]talenthr.FamilyMember{{Name: "Annabella", Gender: "Female",
			BirthDate: talenthr.NewDate(2016, 5, 1), FamilyMemberRelationshipID: "3"}}),
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := compact(t, readGolden(t, "update_request.golden.json")); string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestFieldStates(t *testing.T) {
	var unset talenthr.Field[string]
	if !unset.IsUnset() || unset.IsNull() || unset.String() != "unset" {
		t.Errorf("zero Field: %v", unset)
	}
	if _, err := json.Marshal(unset); err == nil {
		t.Error("an unset Field encoded on its own; it must never become a null that clears")
	}
	var back struct{ A, B talenthr.Field[int] }
	if err := json.Unmarshal([]byte(`{"A":null,"B":7}`), &back); err != nil {
		t.Fatal(err)
	}
	if v, ok := back.B.Value(); !back.A.IsNull() || !ok || v != 7 {
		t.Errorf("decoded %v %v", back.A, back.B)
	}
}

// TestUpdateAgainstFake: a partial update changes what it names, clears
// what it nulls and leaves the rest.
func TestUpdateAgainstFake(t *testing.T) {
	srv := talenthrtest.NewServer(t)
	ids := srv.SeedCompany()
	c := srv.NewClient(t)
	err := c.UpdateEmployee(ctx, ids["engineer"], talenthr.UpdateEmployeeParams{
		LastName:            talenthr.Set("Ioannou-Smith"),
		City:                talenthr.Null[string](),
		ReportsToEmployeeID: talenthr.Null[string](),
		HRLanguages:         talenthr.Set([]string{srv.LookupID(talenthr.Languages, "Greek")}),
		BirthDate:           talenthr.Set(talenthr.NewDate(1990, 12, 10)),
	})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := srv.Employee(ids["engineer"])
	if e.LastName != "Ioannou-Smith" || e.FirstName != "Maria" || e.ReportsToEmployeeID != "" || e.Profile["birth_date"] != "1990-12-10" {
		t.Errorf("after update: %+v", e)
	}
	if _, kept := e.Profile["city"]; kept || e.Profile["country"] != "Greece" {
		t.Errorf("city not cleared or country lost: %v", e.Profile)
	}
	writes := srv.Log().Count(talenthrtest.IsWrite)
	if err := c.UpdateEmployee(ctx, ids["engineer"], talenthr.UpdateEmployeeParams{}); err == nil || !strings.Contains(err.Error(), "nothing to update") {
		t.Errorf("empty update: %v", err)
	}
	if srv.Log().Count(talenthrtest.IsWrite) != writes {
		t.Error("an empty update was sent")
	}
	err = c.UpdateEmployee(ctx, ids["engineer"], talenthr.UpdateEmployeeParams{Email: talenthr.Set("epapadaki@acme.test")})
	var apiErr *talenthr.APIError
	if !errors.Is(err, talenthr.ErrInvalid) || !errors.As(err, &apiErr) || apiErr.StatusCode != 422 ||
		!strings.Contains(apiErr.Message, "email: The email has already been taken.") {
		t.Errorf("taken email: %v", err)
	}
	if err := c.UpdateEmployee(ctx, "999", talenthr.UpdateEmployeeParams{City: talenthr.Set("x")}); !errors.Is(err, talenthr.ErrNotFound) {
		t.Errorf("unknown employee: %v", err)
	}
}
