package output

import (
	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/model"
)

// ruleHelp says, for each rule of graph.CheckRules, what to do about a
// finding: which commands and flags to run, which is why it lives with the
// writers rather than with the rules. SARIF's help and the rules section of
// docs/ci.md read it; a rule without help fails the tests.
var ruleHelp = map[string]string{
	model.RuleExpectReaches:            "Check the dependencies that should carry the effect to the node: one may have been removed, made not critical, or given an alternative. If the node is now genuinely out of reach, remove it from expect.reaches.",
	model.RuleExpectSpares:             "Follow the path in the message: remove or reconsider the dependency that the change added, add a control that stops the step (see the chokepoints command), or, if the wider reach is accepted, move the node from expect.spares to expect.reaches.",
	model.RuleExpectMaxOrganisations:   "Run the scenario with the reach command to see which organisations it affects and by what path; remove the dependency that widened it, add a control at a chokepoint, or raise the limit if the wider reach is accepted.",
	model.RuleMaxOrganisations:         "Run the rank and chokepoints commands on the node named: split or segment it, add an alternative to the critical dependencies on it, or add a control that contains it. An exception can waive the finding until a date.",
	model.RuleMaxExpectedOrganisations: "Run rank --risk to see each node's figure and recommend to find the changes that cut it most: a control at the way in (mfa on the system a supplier's access reaches, patching, edr), an alternative to a critical dependency, or segmentation. For an inconclusive finding, rank --risk --samples with more worlds narrows the interval. An exception can waive the finding until a date.",
	model.RuleRequireControls:          "Add the missing controls to the node's controls list once they are in place, or add an exception with a reason and an until date.",
	model.RuleCriticalNeedsAlternative: "Name an alternative provider under the dependency's alternatives, mark the dependency critical: false if the organisation can work without it, or add an exception with a reason and an until date.",
	model.RuleExpectMaxOutageDays:      "Run the timeline command with --scenario to see, day by day, when the node falls below half capacity and when it is back: bring forward the recovery or restore schedule of the compromised nodes it needs (timeline --crews finds the order to restore that loses least), give the dependencies that carry the outage an alternative or a buffer, or raise the limit if the longer outage is accepted.",
	model.RuleRecoveryWithinTolerance:  "Agree a faster recovery with the provider for what the organisation needs, name an alternative under the dependency's alternatives (mutual aid, a second provider) or give it a buffer (stock, a paper fallback) that covers the gap, or, if the organisation can hold out longer, raise its tolerance. The timeline command on a compromise of the provider shows the days below half. An exception can waive the finding until a date.",
	model.RuleMaxStrained:              "Run the timeline command with --scenario to see which organisations are strained, on which days and by which helper or stock: spread the aid over more helpers (recommend --timeline ranks new aid links and larger stocks), hold more stock, or raise the limit if the strain is accepted. An exception can waive the finding until a date.",
	model.RuleExpectStrains:            "Run the timeline command with --scenario: the node is not strained, so the aid link or surge the scenario was written to show has gone, or its help is no longer needed. Restore the link or surge, or remove the node from expect.strains.",
	model.RuleExpectStockAlertAfter:    "Run the timeline command with --scenario to see the stock's level by day: hold more stock (a what-if with assume: stock tries it), lower the surge, or shorten the outage that causes it; or lower the limit if the earlier alert is accepted.",
	graph.RuleExpiredException:         "Fix what the exception waived and remove the exception, or renew it with a new until date and a current reason.",
	graph.RuleUnusedException:          "Remove the exception, or correct its rule or id.",
	graph.RuleFailOnIncrease:           "Run diff with --format markdown to see whose blast radius grew and by how much; reconsider the dependency named, give it an alternative, restore the lost control, or raise --fail-on-increase if the wider reach is accepted.",
	graph.RuleModel:                    "Fix the error at the line shown, following its hint; run the validate command to see every error and warning.",
}

// RuleHelp says what to do about a finding of the rule.
func RuleHelp(id string) string { return ruleHelp[id] }
