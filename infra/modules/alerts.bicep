// Alerts on the pipeline's runs, by e-mail through one action group.
//
// The app logs one structured event per step of a run, message template
//   OpenConduct run {Source} {Step} {Outcome} ...
// with properties Source, Step (pull, process, index), Outcome (Pulled, Unchanged, Published, AlreadyDone,
// Superseded, Failed, Quarantined, ...), RunId, Complaints, Allegations, Officers, DurationMs. With the isolated
// worker's Application Insights integration they land in AppTraces (workspace-based Application Insights), the
// properties in the Properties column. The queries also parse the message, so they still work if the logs reach
// Application Insights through the Functions host instead (which keeps the text but not the properties).
//
// 1. Run failed: a scheduled query rule every 15 minutes over the last 15 minutes, one alert per source, step and
//    outcome, when any event says Failed or Quarantined.
// 2. Source stale: no successful refresh (Pulled, Unchanged, Published, AlreadyDone) of a source for more than
//    staleAfterDays (the 14-day cadence plus a day by default). A scheduled query rule cannot ask this: its query
//    sees at most the last two days, whatever the query's own ago() says. So a Logic App runs the query once a day
//    over the workspace's retention through the Log Analytics query API, and fails its run when a source is stale;
//    a metric alert on the Logic App's failed runs sends the e-mail (the run's history lists the stale sources).
//    A failing query (say, a missing role) fails the run too, so a broken check is never silent.

@description('Azure region of the rules and the Logic App (the workspace\'s).')
param location string

@description('Tags of the resources.')
param tags { *: string }

@description('Name of the action group.')
param actionGroupName string

@description('E-mail address that receives the alerts; empty: the alerts fire in the portal only.')
param alertEmail string

@description('Name of the run-failed alert rule.')
param runFailedAlertName string

@description('Name of the Logic App that checks staleness daily.')
param stalenessCheckName string

@description('Name of the metric alert on the staleness check\'s failed runs.')
param staleAlertName string

@description('Resource id of the Log Analytics workspace that holds the app\'s logs (AppTraces).')
param workspaceId string

@description('Workspace (customer) id of that workspace.')
param workspaceCustomerId string

@description('Days the workspace keeps data: how far back the staleness check looks.')
param lookbackDays int

@description('Days without a successful refresh after which a source is stale.')
@minValue(2)
param staleAfterDays int

@description('Per-source exceptions to staleAfterDays, e.g. { "cra": 31 } for a source refreshed monthly.')
param staleAfterDaysBySource { *: int }

@description('Hour (UTC) at which the staleness check runs, after the daily pull.')
@minValue(0)
@maxValue(23)
param stalenessCheckHourUtc int

@description('Base URL of the Log Analytics query API (another cloud has another one).')
param logAnalyticsQueryEndpoint string

@description('Token audience of the Log Analytics query API.')
param logAnalyticsQueryAudience string

// The run events with their fields: from the structured properties, else from the message.
var runEvents = '''
let pattern = @"^OpenConduct run (\S+) (\S+) (\S+)";
AppTraces
| where Message startswith "OpenConduct run "
| extend Source = coalesce(tostring(Properties.Source), extract(pattern, 1, Message)),
    Step = coalesce(tostring(Properties.Step), extract(pattern, 2, Message)),
    Outcome = coalesce(tostring(Properties.Outcome), extract(pattern, 3, Message)),
    RunId = tostring(Properties.RunId)
'''

var runFailedQuery = $'''${runEvents}| where Outcome in ("Failed", "Quarantined")
| project TimeGenerated, Source, Step, Outcome, RunId, Message
'''

var staleQuery = $'''let limits = dynamic(${string(staleAfterDaysBySource)});
${runEvents}| where Source != "_officers"
| summarize LastSuccess = maxif(TimeGenerated, Outcome in ("Pulled", "Unchanged", "Published", "AlreadyDone")), LastRun = max(TimeGenerated) by Source
| extend StaleAfterDays = coalesce(toint(limits[Source]), ${staleAfterDays})
| where isnull(LastSuccess) or LastSuccess < ago(1d * StaleAfterDays)
| project Source, LastSuccess, LastRun, StaleAfterDays
'''

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'openconduct'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

resource runFailed 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: runFailedAlertName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'OpenConduct: a run failed'
    description: 'A pull, processing or index step of a source ended Failed or Quarantined (OpenConduct run {Source} {Step} {Outcome}). The run id and the error are in the event\'s message; quarantined exports are in the exports-quarantine container with _error.json.'
    severity: 1
    enabled: true
    scopes: [
      workspaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    // The AppTraces table appears in a new workspace with the first log, which may come after this rule.
    skipQueryValidation: true
    autoMitigate: false
    criteria: {
      allOf: [
        {
          query: runFailedQuery
          timeAggregation: 'Count'
          dimensions: [
            {
              name: 'Source'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'Step'
              operator: 'Include'
              values: [
                '*'
              ]
            }
            {
              name: 'Outcome'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

resource stalenessCheck 'Microsoft.Logic/workflows@2019-05-01' = {
  name: stalenessCheckName
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    state: 'Enabled'
    definition: {
      '$schema': 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#'
      contentVersion: '1.0.0.0'
      triggers: {
        Daily: {
          type: 'Recurrence'
          recurrence: {
            frequency: 'Day'
            interval: 1
            timeZone: 'UTC'
            schedule: {
              hours: [
                stalenessCheckHourUtc
              ]
              minutes: [
                0
              ]
            }
          }
        }
      }
      actions: {
        Query_stale_sources: {
          type: 'Http'
          runAfter: {}
          inputs: {
            method: 'POST'
            uri: '${logAnalyticsQueryEndpoint}/v1/workspaces/${workspaceCustomerId}/query'
            headers: {
              'Content-Type': 'application/json'
            }
            body: {
              query: staleQuery
              timespan: 'P${lookbackDays}D'
            }
            authentication: {
              type: 'ManagedServiceIdentity'
              audience: logAnalyticsQueryAudience
            }
          }
        }
        If_a_source_is_stale: {
          type: 'If'
          runAfter: {
            Query_stale_sources: [
              'Succeeded'
            ]
          }
          expression: {
            and: [
              {
                greater: [
                  '@length(first(body(\'Query_stale_sources\')?[\'tables\'])?[\'rows\'])'
                  0
                ]
              }
            ]
          }
          actions: {
            Fail_the_run: {
              type: 'Terminate'
              runAfter: {}
              inputs: {
                runStatus: 'Failed'
                runError: {
                  code: 'StaleSources'
                  message: 'Sources without a successful refresh (source, last success, last run, days allowed): @{string(first(body(\'Query_stale_sources\')?[\'tables\'])?[\'rows\'])}'
                }
              }
            }
          }
          else: {
            actions: {}
          }
        }
      }
      outputs: {}
    }
  }
}

resource staleAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: staleAlertName
  location: 'global'
  tags: tags
  properties: {
    description: 'A source has had no successful refresh for longer than allowed (default ${staleAfterDays} days), or the daily staleness check itself failed. The failed run of ${stalenessCheckName} lists the sources.'
    severity: 2
    enabled: true
    scopes: [
      stalenessCheck.id
    ]
    evaluationFrequency: 'PT1H'
    windowSize: 'PT12H'
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'StalenessCheckFailed'
          metricNamespace: 'Microsoft.Logic/workflows'
          metricName: 'RunsFailed'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

@description('Object id of the staleness check\'s identity (it needs Log Analytics Reader on the workspace).')
output stalenessCheckPrincipalId string = stalenessCheck.identity.principalId
