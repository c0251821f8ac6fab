// OpenConduct on Azure: a resource group with the Functions app (Flex Consumption, .NET 10 isolated), its storage,
// Azure AI Search, Key Vault, Application Insights, the Event Grid topic that triggers processing, and the alerts.
// Deployed by `azd up` (azure.yaml, main.parameters.json); docs/deploy.md walks through it. Built and linted offline
// by scripts/bicep.sh.

targetScope = 'subscription'

// ---------------------------------------------------------------------------------------------------------------
// Parameters (main.parameters.json maps each to an azd environment variable)
// ---------------------------------------------------------------------------------------------------------------

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; with the subscription and location it seeds the resource names.')
param environmentName string

@minLength(1)
@description('Azure region of every resource.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user or pipeline; when given it gets data-plane roles for operations (uploading drops, reading runs and releases, querying the index, setting the pseudonymization key). Empty: none.')
param principalId string = ''

@description('Type of principalId: User for a person, ServicePrincipal for a pipeline identity.')
@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param principalType string = 'User'

@description('Name of the resource group to create; empty: rg-{environmentName}.')
param resourceGroupName string = ''

@description('Origins (comma-separated) allowed to call the API from a browser: the city\'s web site(s) that embed the widgets, e.g. https://www.example.gov. Empty: none.')
param corsAllowedOrigins string = ''

@description('Requests per minute that one client address may make to the API, counted by each instance of the function app (a client spread over N instances may make up to N times as many); 0 turns the limit off. The standalone server\'s default, 300.')
@minValue(0)
param apiRateLimitPerMinute int = 300

@description('E-mail address for the alerts (a run failed, a source is stale). Empty: the alerts show in the portal only.')
param alertEmail string = ''

@description('Azure AI Search tier. basic suits a city; free (one per subscription, 50 MB) for a trial.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
  'storage_optimized_l1'
  'storage_optimized_l2'
])
param searchSku string = 'basic'

@description('Whether Azure AI Search accepts traffic from the internet. Disabled needs private networking, which this template does not set up.')
@allowed([
  'Enabled'
  'Disabled'
])
param searchPublicNetworkAccess string = 'Enabled'

@description('Replication of the storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@description('When the pull timer fires: NCRONTAB with seconds (6 fields), UTC. Each source is pulled when its own cadence (cadenceDays in sources.json) has passed.')
param pullSchedule string = '0 0 6 * * *'

@description('When the review console\'s publish requests run: NCRONTAB with seconds (6 fields), UTC. A reviewer\'s "publish" goes live within this interval plus the release\'s build.')
param reviewSchedule string = '0 */5 * * * *'

@description('Client id of the Entra ID app registration that signs reviewers in to the review console, with its app role Reviewer (docs/deploy.md, "The review console"). Empty: the function app\'s built-in authentication stays off and the review console refuses every request.')
param reviewerClientId string = ''

@description('Tenant (directory) id of that app registration. Empty: the subscription\'s tenant.')
param reviewerTenantId string = ''

@description('The sources file, relative to the deployed app (OPENCONDUCT_SOURCES): the sources.json deployed with the app.')
param sourcesFile string = 'sources.json'

@description('Name of the Key Vault secret that holds the pseudonymization key (set by the operator, see docs/deploy.md).')
param pseudonymKeySecretName string = 'openconduct-pseudonym-key'

@description('The most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param functionMaximumInstanceCount int = 40

@description('Memory of each function app instance, in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Key Vault purge protection. On for a city\'s deployment (the key behind every pseudonym cannot be destroyed early); off for a trial that is torn down with azd down --purge. Once on, it stays on.')
param keyVaultEnablePurgeProtection bool = true

@description('Days deleted Key Vault secrets (and the vault) stay recoverable.')
@minValue(7)
@maxValue(90)
param keyVaultSoftDeleteRetentionDays int = 90

@description('Days the Log Analytics workspace keeps logs; the staleness check looks back this far.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

@description('Create the Event Grid subscriptions that trigger processing. They need the function app\'s blobs_extension key, which exists only once the code is deployed: the azd hooks set this (DEPLOY_EVENT_SUBSCRIPTIONS) when the key exists.')
param deployEventSubscriptions bool = false

@description('Days without a successful refresh after which a source is reported stale: its cadence (14 days by default) plus a day.')
@minValue(2)
@maxValue(365)
param staleAfterDays int = 15

@description('Per-source exceptions to staleAfterDays as JSON, e.g. {"cra": 31} for a source with a 30-day cadence. Empty: none.')
param staleAfterDaysBySource string = ''

@description('Base URL of the Log Analytics query API used by the staleness check (another for a sovereign cloud).')
param logAnalyticsQueryEndpoint string = 'https://api.loganalytics.azure.com'

// environment() has no Log Analytics entry, hence parameters; this is the token audience the Azure SDKs use.
@description('Token audience of the Log Analytics query API (another for a sovereign cloud).')
param logAnalyticsQueryAudience string = 'https://api.loganalytics.io'

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

var names = {
  resourceGroup: empty(resourceGroupName) ? '${abbrs.resourcesResourceGroups}${environmentName}' : resourceGroupName
  identity: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  workspace: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  search: '${abbrs.searchSearchServices}${resourceToken}'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${resourceToken}'
  systemTopic: '${abbrs.eventGridSystemTopics}${resourceToken}'
  actionGroup: '${abbrs.insightsActionGroups}${resourceToken}'
  runFailedAlert: '${abbrs.insightsScheduledQueryRules}run-failed-${resourceToken}'
  stalenessCheck: '${abbrs.logicWorkflows}staleness-${resourceToken}'
  staleAlert: '${abbrs.insightsMetricAlerts}source-stale-${resourceToken}'
}

// The pipeline's storage (docs/pipeline.md) and the Flex Consumption deployment package.
var containers = {
  incoming: 'exports-incoming'
  raw: 'exports-raw'
  quarantine: 'exports-quarantine'
  releases: 'releases'
  // The review's private container: narratives waiting for a reviewer and the reviewers' decisions (docs/review.md).
  review: 'review'
  deploymentPackage: 'app-package'
}
var tables = [
  'Sources'
  'Runs'
  // The review's audit log (who, when, what, hashes; never the private text) and the narrative approvals.
  'ReviewAudit'
  'ReviewApprovals'
]

// The blob-triggered functions that Event Grid delivers to (functions/OpenConduct.Functions).
var blobSubscriptions = [
  {
    name: 'exports-raw-created'
    container: containers.raw
    functionName: 'ProcessRawExport'
    // Only a raw export's manifest, written last, wakes the webhook: not its data files nor the lease blobs.
    subjectEndsWith: '/_manifest.json'
  }
  {
    name: 'exports-incoming-created'
    container: containers.incoming
    functionName: 'ProcessIncomingDrop'
    // Every file: any of them may complete a drop (the _complete marker, or the last file once it settles).
    subjectEndsWith: ''
  }
]

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  searchIndexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
  searchServiceContributor: '7ca78c08-252a-4471-8644-bb5ff32d4ba0'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
}

var corsOrigins = filter(map(split(corsAllowedOrigins, ','), origin => trim(origin)), origin => !empty(origin))

// ---------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSku
    containerNames: [
      containers.incoming
      containers.raw
      containers.quarantine
      containers.releases
      containers.review
      containers.deploymentPackage
    ]
    tableNames: tables
    deleteRetentionDays: 7
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionDays
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  params: {
    name: names.keyVault
    location: location
    tags: tags
    enablePurgeProtection: keyVaultEnablePurgeProtection
    softDeleteRetentionInDays: keyVaultSoftDeleteRetentionDays
  }
}

module search 'modules/search.bicep' = {
  scope: rg
  params: {
    name: names.search
    location: location
    tags: tags
    sku: searchSku
    publicNetworkAccess: searchPublicNetworkAccess
  }
}

module alerts 'modules/alerts.bicep' = {
  scope: rg
  params: {
    location: location
    tags: tags
    actionGroupName: names.actionGroup
    alertEmail: alertEmail
    runFailedAlertName: names.runFailedAlert
    stalenessCheckName: names.stalenessCheck
    staleAlertName: names.staleAlert
    workspaceId: monitoring.outputs.workspaceId
    workspaceCustomerId: monitoring.outputs.workspaceCustomerId
    lookbackDays: logRetentionDays
    staleAfterDays: staleAfterDays
    staleAfterDaysBySource: empty(staleAfterDaysBySource) ? {} : json(staleAfterDaysBySource)
    stalenessCheckHourUtc: 9
    logAnalyticsQueryEndpoint: logAnalyticsQueryEndpoint
    logAnalyticsQueryAudience: logAnalyticsQueryAudience
  }
}

// Least privilege for the app's identity:
// - Storage Blob Data Owner: the blob trigger and the host need it (the Functions documentation's role for blob
//   triggers and identity-based AzureWebJobsStorage: host keys, timer and singleton locks, blob receipts); the
//   pipeline also takes leases (exports-raw/_locks), writes and deletes blobs in its containers, and Flex
//   Consumption reads the deployment package with this identity.
// - Storage Queue Data Contributor: the blob trigger's poison queue (webjobs-blobtrigger-poison).
// - Storage Table Data Contributor: the Sources and Runs tables (run ledger).
// - Search Index Data Contributor and Search Service Contributor: publish officer documents, and create or update
//   the index definition on publish.
// - Key Vault Secrets User: resolve the OPENCONDUCT_PSEUDONYM_KEY reference.
// - Monitoring Metrics Publisher: send telemetry to Application Insights, whose local authentication is off.
var appRoles = [
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageBlobDataOwner
    scope: 'storageAccount'
    resourceName: names.storage
    description: 'OpenConduct app: blob trigger, host storage, leases, exports and releases'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageQueueDataContributor
    scope: 'storageAccount'
    resourceName: names.storage
    description: 'OpenConduct app: blob trigger poison queue'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.storageTableDataContributor
    scope: 'storageAccount'
    resourceName: names.storage
    description: 'OpenConduct app: Sources and Runs tables'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.searchIndexDataContributor
    scope: 'searchService'
    resourceName: names.search
    description: 'OpenConduct app: publish and query officer documents'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.searchServiceContributor
    scope: 'searchService'
    resourceName: names.search
    description: 'OpenConduct app: create or update the officer index definition'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.keyVaultSecretsUser
    scope: 'keyVault'
    resourceName: names.keyVault
    description: 'OpenConduct app: Key Vault reference to the pseudonymization key'
  }
  {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.monitoringMetricsPublisher
    scope: 'applicationInsights'
    resourceName: names.appInsights
    description: 'OpenConduct app: telemetry with Entra ID authentication'
  }
]

// The daily staleness check reads the logs.
var stalenessCheckRoles = [
  {
    principalId: alerts.outputs.stalenessCheckPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roles.logAnalyticsReader
    scope: 'logAnalyticsWorkspace'
    resourceName: names.workspace
    description: 'OpenConduct staleness check: query the run events'
  }
]

// The deploying user (or pipeline): data-plane access for operations. Control-plane access comes with the
// subscription role that lets them deploy at all.
var operatorRoles = empty(principalId)
  ? []
  : [
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.storageBlobDataContributor
        scope: 'storageAccount'
        resourceName: names.storage
        description: 'OpenConduct operator: upload drops, inspect raw exports, quarantine and releases'
      }
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.storageQueueDataContributor
        scope: 'storageAccount'
        resourceName: names.storage
        description: 'OpenConduct operator: inspect the blob trigger poison queue'
      }
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.storageTableDataContributor
        scope: 'storageAccount'
        resourceName: names.storage
        description: 'OpenConduct operator: read the Sources and Runs tables'
      }
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.searchIndexDataContributor
        scope: 'searchService'
        resourceName: names.search
        description: 'OpenConduct operator: query and rebuild the officer index'
      }
      {
        principalId: principalId
        principalType: principalType
        roleDefinitionId: roles.keyVaultSecretsOfficer
        scope: 'keyVault'
        resourceName: names.keyVault
        description: 'OpenConduct operator: set the pseudonymization key'
      }
    ]

module roleAssignments 'modules/role-assignments.bicep' = {
  scope: rg
  params: {
    assignments: [
      ...appRoles
      ...stalenessCheckRoles
      ...operatorRoles
    ]
  }
  // The storage account, search service, vault and workspace must exist before roles are assigned on them.
  dependsOn: [
    storage
    search
    keyVault
  ]
}

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  params: {
    planName: names.plan
    name: names.functionApp
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: names.storage
    deploymentContainerName: containers.deploymentPackage
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    corsAllowedOrigins: corsOrigins
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    reviewerClientId: reviewerClientId
    reviewerTenantId: empty(reviewerTenantId) ? tenant().tenantId : reviewerTenantId
    appSettings: {
      // DefaultAzureCredential (the app's own storage and search clients) picks the user-assigned identity.
      AZURE_CLIENT_ID: identity.outputs.clientId
      // The pipeline's storage: the same account as the host's (docs/pipeline.md, Configuration).
      Storage__Blobs__serviceUri: storage.outputs.blobEndpoint
      Storage__Tables__endpoint: storage.outputs.tableEndpoint
      // The officer index in Azure AI Search (configuration section Search; the app does not start without it).
      Search__endpoint: search.outputs.endpoint
      PULL_SCHEDULE: pullSchedule
      // The reviewers' publish requests (PublishReviewed), queued in the review container by the console.
      REVIEW_SCHEDULE: reviewSchedule
      OPENCONDUCT_SOURCES: sourcesFile
      OPENCONDUCT_PSEUDONYM_KEY: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${pseudonymKeySecretName})'
      // CORS: the platform applies the allowed origins (siteConfig.cors); the worker reads the same list under the
      // standalone server's name and checks it at start. The rate limit per client, in the worker (ApiRateLimiting).
      OPENCONDUCT_CORS_ORIGINS: join(corsOrigins, ',')
      OPENCONDUCT_RATE_LIMIT: string(apiRateLimitPerMinute)
    }
  }
  // Start the app once its identity may read storage, the vault and the search service.
  dependsOn: [
    roleAssignments
  ]
}

module eventGridTopic 'modules/eventgrid-topic.bicep' = {
  scope: rg
  params: {
    name: names.systemTopic
    location: location
    tags: tags
    storageAccountName: names.storage
  }
  dependsOn: [
    storage
  ]
}

module eventSubscriptions 'modules/eventgrid-subscriptions.bicep' = if (deployEventSubscriptions) {
  scope: rg
  params: {
    systemTopicName: names.systemTopic
    functionAppName: names.functionApp
    subscriptions: blobSubscriptions
  }
  dependsOn: [
    eventGridTopic
    functionApp
  ]
}

// ---------------------------------------------------------------------------------------------------------------
// Outputs (azd stores them in the environment: azd env get-values)
// ---------------------------------------------------------------------------------------------------------------

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('The resource group.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app.')
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name

@description('Base URL of the API (the function app); the endpoints are under /api.')
output SERVICE_API_ENDPOINT string = 'https://${functionApp.outputs.defaultHostName}'

@description('The review console (reviewers sign in with Entra ID and need the app role Reviewer).')
output SERVICE_REVIEW_CONSOLE_URL string = 'https://${functionApp.outputs.defaultHostName}/api/review/'

@description('Whether the function app\'s built-in authentication (Entra ID) is on: without it the review console refuses every request.')
output AZURE_REVIEWER_AUTHENTICATION_ENABLED bool = !empty(reviewerClientId)

@description('Base URL of the function app (same as SERVICE_API_ENDPOINT, for scripts).')
output AZURE_FUNCTION_URL string = 'https://${functionApp.outputs.defaultHostName}'

@description('Name of the storage account (containers exports-incoming, exports-raw, exports-quarantine, releases, review; tables Sources, Runs, ReviewAudit, ReviewApprovals).')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Blob endpoint of the storage account.')
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint

@description('Table endpoint of the storage account.')
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint

@description('Name of the Azure AI Search service.')
output AZURE_SEARCH_SERVICE_NAME string = search.outputs.name

@description('Endpoint of the Azure AI Search service.')
output AZURE_SEARCH_ENDPOINT string = search.outputs.endpoint

@description('Name of the Key Vault.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('URI of the Key Vault.')
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.uri

@description('Name of the Key Vault secret the operator sets to the pseudonymization key.')
output AZURE_PSEUDONYM_KEY_SECRET_NAME string = pseudonymKeySecretName

@description('Name of the Application Insights component (its connection string is in the app\'s settings).')
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName

@description('Name of the Log Analytics workspace (AppTraces holds the run events).')
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.workspaceName

@description('Name of the storage account\'s Event Grid system topic.')
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = eventGridTopic.outputs.name

@description('Names of the Event Grid subscriptions that trigger processing, space-separated (the postdeploy hook checks them).')
output AZURE_EVENT_SUBSCRIPTION_NAMES string = join(map(blobSubscriptions, s => s.name), ' ')

@description('Whether this deployment created the Event Grid subscriptions (see DEPLOY_EVENT_SUBSCRIPTIONS).')
output AZURE_EVENT_SUBSCRIPTIONS_DEPLOYED bool = deployEventSubscriptions

@description('Name of the Logic App that checks daily for stale sources.')
output AZURE_STALENESS_CHECK_NAME string = names.stalenessCheck
