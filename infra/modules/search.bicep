// Azure AI Search for the officer index. Entra ID only: local (API key) authentication is disabled, so no
// authOptions are set (the two are exclusive); the app publishes and queries with its managed identity.

@description('Name of the search service.')
param name string

@description('Azure region.')
param location string

@description('Tags of the resource.')
param tags { *: string }

@description('Pricing tier.')
@allowed([
  'free'
  'basic'
  'standard'
  'standard2'
  'standard3'
  'storage_optimized_l1'
  'storage_optimized_l2'
])
param sku string

@description('Whether the service accepts traffic from the internet (the function app has no private network here).')
@allowed([
  'Enabled'
  'Disabled'
])
param publicNetworkAccess string

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    disableLocalAuth: true
    hostingMode: 'Default'
    partitionCount: 1
    replicaCount: 1
    publicNetworkAccess: publicNetworkAccess
  }
}

@description('Name of the search service.')
output name string = search.name

@description('Endpoint of the search service (https://{name}.search.windows.net in the public cloud).')
output endpoint string = search.properties.endpoint
