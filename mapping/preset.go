package mapping

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

// Names of the presets, one per seed job the SDK ships (BambooHR → Litmos,
// HiBob → Learn Amp, TalentHR ⇔ TalentLMS, Litmos → your platform).
const (
	// PresetBambooHRLitmos maps a BambooHR employee to a Litmos user.
	PresetBambooHRLitmos = "bamboohr-litmos"
	// PresetHiBobLearnAmp maps a HiBob employee to a Learn Amp user.
	PresetHiBobLearnAmp = "hibob-learnamp"
	// PresetTalentHRTalentLMS maps a TalentHR employee to a TalentLMS user,
	// with the named custom fields.
	PresetTalentHRTalentLMS = "talenthr-talentlms"
	// PresetTalentLMSTalentHR maps a TalentLMS user to a TalentHR employee.
	PresetTalentLMSTalentHR = "talentlms-talenthr"
	// PresetHiBobLearnAmpTeams maps a HiBob team (a department) to a flat
	// Learn Amp team: name, and the id as integrationExternalId.
	PresetHiBobLearnAmpTeams = "hibob-learnamp-teams"
	// PresetLitmosPlatform maps a Litmos user to a user of a platform of
	// your own (jobs.LitmosPlatform): integration_id, email, first_name, …
	PresetLitmosPlatform = "litmos-platform"
	// PresetLitmosPlatformGroup maps a Litmos team to a platform group:
	// litmos_team_id and name.
	PresetLitmosPlatformGroup = "litmos-platform-group"
	// PresetLitmosPlatformCourse maps a Litmos course to a platform
	// course: integration_id, name and code.
	PresetLitmosPlatformCourse = "litmos-platform-course"
)

// Names of the presets into and out of the canonical person (see
// PersonFields). Compose one of each to join any HR system to any
// learning platform: Compose(<hr>-person, person-<lms>).
const (
	// PresetBambooHRPerson maps a BambooHR employee to a person.
	PresetBambooHRPerson = "bamboohr-person"
	// PresetHiBobPerson maps a HiBob employee to a person.
	PresetHiBobPerson = "hibob-person"
	// PresetTalentHRPerson maps a TalentHR employee to a person.
	PresetTalentHRPerson = "talenthr-person"
	// PresetTalentLMSPerson maps a TalentLMS user to a person, for
	// LMS-to-HR and two-way jobs.
	PresetTalentLMSPerson = "talentlms-person"
	// PresetPersonLitmos maps a person to a Litmos user.
	PresetPersonLitmos = "person-litmos"
	// PresetPersonLearnAmp maps a person to a Learn Amp user.
	PresetPersonLearnAmp = "person-learnamp"
	// PresetPersonTalentLMS maps a person to a TalentLMS user.
	PresetPersonTalentLMS = "person-talentlms"
	// PresetPersonTalentHR maps a person to a TalentHR employee, for
	// LMS-to-HR and two-way jobs.
	PresetPersonTalentHR = "person-talenthr"
)

//go:embed presets/*.json
var presetFiles embed.FS

// Preset compiles the named preset. Presets are data (JSON embedded in the
// package): read one with PresetJSON, change it, and Load the result to
// make a map of your own.
func Preset(name string, opts ...Option) (*Map, error) {
	b, err := PresetJSON(name)
	if err != nil {
		return nil, err
	}
	m, err := Load(b, opts...)
	if err != nil {
		return nil, fmt.Errorf("mapping: preset %q: %w", name, err)
	}
	return m, nil
}

// MustPreset is Preset for a preset the caller names by its constant
// (every preset is compiled by this package's tests): it panics if the
// preset does not compile, as regexp.MustCompile does.
func MustPreset(name string) *Map {
	m, err := Preset(name)
	if err != nil {
		panic(err)
	}
	return m
}

// PresetOr returns m, or when m is nil the named preset: the default map
// of an option a caller may leave unset.
func PresetOr(m *Map, name string, opts ...Option) (*Map, error) {
	if m != nil {
		return m, nil
	}
	return Preset(name, opts...)
}

// PresetJSON returns the named preset's JSON.
func PresetJSON(name string) ([]byte, error) {
	b, err := presetFiles.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("mapping: no preset %q (have %s)", name, strings.Join(PresetNames(), ", "))
	}
	return b, nil
}

// PresetNames lists the presets in order.
func PresetNames() []string {
	entries, err := fs.ReadDir(presetFiles, "presets")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}
