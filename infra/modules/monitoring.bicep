// Log Analytics workspace and a workspace-based Application Insights component. Local authentication (the
// instrumentation key alone) is disabled: telemetry is accepted only with an Entra ID token, which the function app
// gets for its managed identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) with Monitoring Metrics Publisher.

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Name of the Application Insights component.')
param appInsightsName string

@description('Azure region.')
param location string

@description('Tags of the resources.')
param tags { *: string }

@description('Days the workspace keeps data (the staleness check looks back this far).')
@minValue(30)
@maxValue(730)
param retentionInDays int

resource workspace 'Microsoft.OperationalInsights/workspaces@2025-02-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
    WorkspaceResourceId: workspace.id
    RetentionInDays: retentionInDays
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

@description('Name of the Log Analytics workspace.')
output workspaceName string = workspace.name

@description('Resource id of the Log Analytics workspace.')
output workspaceId string = workspace.id

@description('Workspace (customer) id, the GUID the Log Analytics query API takes.')
output workspaceCustomerId string = workspace.properties.customerId

@description('Name of the Application Insights component.')
output appInsightsName string = appInsights.name

@description('Connection string of Application Insights (not a secret: ingestion needs an Entra ID token).')
output appInsightsConnectionString string = appInsights.properties.ConnectionString
