// Every role assignment of the deployment, from one array. Bicep needs a typed symbol for an assignment's scope,
// so each kind of target resource has its own loop; the entries name the kind and the resource (in this resource
// group). An assignment is named guid(scope, principal, role): deploying again changes nothing.

@export()
@description('The kinds of resource an assignment can target, all in this resource group.')
type roleScope = 'storageAccount' | 'searchService' | 'keyVault' | 'applicationInsights' | 'logAnalyticsWorkspace'

@export()
@description('One role assignment.')
type roleAssignment = {
  @description('Object id of the principal (a managed identity, a user, a group).')
  principalId: string

  @description('Type of the principal: ServicePrincipal for managed identities (skips the directory replication wait).')
  principalType: 'ServicePrincipal' | 'User' | 'Group'

  @description('The built-in role definition\'s GUID, e.g. b7e6dc6d-f1e8-4753-8033-0f276bb0955b (Storage Blob Data Owner).')
  roleDefinitionId: string

  @description('The kind of resource the role is assigned on.')
  scope: roleScope

  @description('The name of that resource, in this resource group.')
  resourceName: string

  @description('Why the principal needs the role (shown in the portal).')
  description: string
}

@description('The role assignments to create.')
param assignments roleAssignment[]

var onStorage = filter(assignments, a => a.scope == 'storageAccount')
var onSearch = filter(assignments, a => a.scope == 'searchService')
var onKeyVault = filter(assignments, a => a.scope == 'keyVault')
var onAppInsights = filter(assignments, a => a.scope == 'applicationInsights')
var onWorkspace = filter(assignments, a => a.scope == 'logAnalyticsWorkspace')

resource storageAccounts 'Microsoft.Storage/storageAccounts@2025-01-01' existing = [
  for a in onStorage: {
    name: a.resourceName
  }
]

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (a, i) in onStorage: {
    name: guid(storageAccounts[i].id, a.principalId, a.roleDefinitionId)
    scope: storageAccounts[i]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
      description: a.description
    }
  }
]

resource searchServices 'Microsoft.Search/searchServices@2025-05-01' existing = [
  for a in onSearch: {
    name: a.resourceName
  }
]

resource searchRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (a, i) in onSearch: {
    name: guid(searchServices[i].id, a.principalId, a.roleDefinitionId)
    scope: searchServices[i]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
      description: a.description
    }
  }
]

resource keyVaults 'Microsoft.KeyVault/vaults@2024-11-01' existing = [
  for a in onKeyVault: {
    name: a.resourceName
  }
]

resource keyVaultRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (a, i) in onKeyVault: {
    name: guid(keyVaults[i].id, a.principalId, a.roleDefinitionId)
    scope: keyVaults[i]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
      description: a.description
    }
  }
]

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = [
  for a in onAppInsights: {
    name: a.resourceName
  }
]

resource appInsightsRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (a, i) in onAppInsights: {
    name: guid(appInsights[i].id, a.principalId, a.roleDefinitionId)
    scope: appInsights[i]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
      description: a.description
    }
  }
]

resource workspaces 'Microsoft.OperationalInsights/workspaces@2025-02-01' existing = [
  for a in onWorkspace: {
    name: a.resourceName
  }
]

resource workspaceRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (a, i) in onWorkspace: {
    name: guid(workspaces[i].id, a.principalId, a.roleDefinitionId)
    scope: workspaces[i]
    properties: {
      principalId: a.principalId
      principalType: a.principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', a.roleDefinitionId)
      description: a.description
    }
  }
]

