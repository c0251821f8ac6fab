using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// An HTTP function invoked as the ASP.NET Core integration invokes it: the request as an <see cref="HttpRequest"/>
/// whose context's services are the invocation's scope, then the returned <see cref="IResult"/> executed on that
/// context (what FunctionsHttpProxyingMiddleware does), the response captured. A JSON body, when given, is the request's.
/// </summary>
internal static class HttpInvocation
{
    public static async Task<(int Status, IHeaderDictionary Headers, string Body)> InvokeAsync(
        IServiceProvider services, string host, string method, string pathAndQuery, Func<HttpRequest, Task<IResult>> function, IEnumerable<KeyValuePair<string, string>>? headers = null, string? json = null)
    {
        var (status, responseHeaders, body) = await InvokeBytesAsync(services, host, method, pathAndQuery, function, headers, json);
        return (status, responseHeaders, Encoding.UTF8.GetString(body));
    }

    public static async Task<(int Status, IHeaderDictionary Headers, byte[] Body)> InvokeBytesAsync(
        IServiceProvider services, string host, string method, string pathAndQuery, Func<HttpRequest, Task<IResult>> function, IEnumerable<KeyValuePair<string, string>>? headers = null, string? json = null)
    {
        await using var scope = services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        context.Request.Path = query < 0 ? pathAndQuery : pathAndQuery[..query];
        context.Request.QueryString = query < 0 ? QueryString.Empty : new QueryString(pathAndQuery[query..]);
        foreach (var (name, value) in headers ?? [])
        {
            context.Request.Headers[name] = new StringValues(value);
        }

        if (json is not null)
        {
            var content = Encoding.UTF8.GetBytes(json);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = content.Length;
            context.Request.Body = new MemoryStream(content);
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        var result = await function(context.Request);
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, context.Response.Headers, body.ToArray());
    }
}
