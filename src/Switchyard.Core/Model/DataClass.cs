namespace Switchyard.Core.Model;

/// <summary>How sensitive a request's data is; policy maps each class to the trust zones it may reach.</summary>
public enum DataClass
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("public")]
    Public,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("internal")]
    Internal,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("confidential")]
    Confidential,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("restricted")]
    Restricted,
}
