// The Event Grid system topic of the storage account: the source of the BlobCreated events that trigger processing
// (the Flex Consumption plan runs blob triggers only with Source = EventGrid; it does not poll containers).
// Its subscriptions are in eventgrid-subscriptions.bicep, deployed once the app's code is (see docs/deploy.md).

@description('Name of the system topic.')
param name string

@description('Azure region (the storage account\'s).')
param location string

@description('Tags of the resource.')
param tags { *: string }

@description('Name of the storage account whose events the topic publishes.')
param storageAccountName string

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

@description('Name of the system topic.')
output name string = topic.name
