// The user-assigned managed identity the function app runs as: host storage, the app's own storage, search,
// Key Vault references and Application Insights all authenticate with it (no keys anywhere).

@description('Name of the identity.')
param name string

@description('Azure region.')
param location string

@description('Tags of the resource.')
param tags { *: string }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Object (principal) id of the identity, for role assignments.')
output principalId string = identity.properties.principalId

@description('Client id of the identity, for AzureWebJobsStorage__clientId, AZURE_CLIENT_ID and Application Insights.')
output clientId string = identity.properties.clientId
