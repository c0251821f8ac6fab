// The Functions app on the Flex Consumption plan (FC1), .NET 10 isolated worker, running as a user-assigned
// managed identity: its code package lives in a blob container it reads with that identity, its host storage
// (AzureWebJobsStorage) and Application Insights are identity-based, and Key Vault references resolve with it.

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app (also its host name: {name}.azurewebsites.net).')
param name string

@description('Azure region.')
param location string

@description('Tags of the resources; the app also gets azd-service-name.')
param tags { *: string }

@description('The azure.yaml service this app hosts (tag azd-service-name, how azd finds the app to deploy to).')
param serviceName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Name of the storage account of the host and the deployment package.')
param storageAccountName string

@description('Blob container holding the deployment package.')
param deploymentContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('The app\'s own settings (besides host storage and Application Insights, which this module sets).')
param appSettings { *: string }

@description('Origins allowed to call the API from a browser (the city\'s web site); empty: no cross-origin calls.')
param corsAllowedOrigins string[]

@description('The most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Runtime stack.')
param runtimeName string

@description('Runtime version.')
param runtimeVersion string

@description('Client id of the Entra ID app registration that signs reviewers in to the review console (the app\'s built-in authentication; reviewers need its app role Reviewer). Empty: the built-in authentication is off and the review routes refuse every request.')
param reviewerClientId string = ''

@description('Tenant (directory) id of that app registration.')
param reviewerTenantId string = tenant().tenantId

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

// Host storage through the identity: blob (keys, locks, the blob trigger's receipts), queue (the blob trigger's
// poison queue) and table. No AzureWebJobsStorage connection string exists.
var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

resource site 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
      appSettings: map(items(union(appSettings, hostSettings)), setting => {
        name: setting.key
        value: setting.value
      })
    }
  }
}

// No publishing with a user name and password: azd deploys with an Entra ID token. (Flex Consumption has no FTP;
// siteConfig.ftpsState is Disabled as well.)
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

// The built-in authentication (App Service authentication) with Entra ID, for the review console only: anonymous
// requests pass (the public API stays anonymous), a signed-in user's principal reaches the app in X-MS-CLIENT-PRINCIPAL,
// and the review functions require the app role Reviewer themselves (docs/review.md). With it on, the platform sets
// WEBSITE_AUTH_ENABLED=True and strips a client's own X-MS-* headers; without a client id it is off, and the review
// routes refuse everything (fail closed). Sign-in uses the OpenID Connect implicit flow for an ID token (no client
// secret): the app registration issues ID tokens (docs/deploy.md, "The review console").
resource authSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: !empty(reviewerClientId)
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
      excludedPaths: []
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: !empty(reviewerClientId)
        registration: {
          clientId: reviewerClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${reviewerTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: empty(reviewerClientId) ? [] : [
            reviewerClientId
            'api://${reviewerClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

@description('Name of the function app.')
output name string = site.name

@description('Host name of the function app.')
output defaultHostName string = site.properties.defaultHostName
