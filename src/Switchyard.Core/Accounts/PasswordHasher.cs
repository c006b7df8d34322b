using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Core.Accounts;

/// <summary>
/// Console passwords as PBKDF2-HMAC-SHA256 (the BCL's <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>):
/// <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (base64), 600,000 iterations as OWASP recommends, a 16-byte random salt,
/// compared in constant time.
/// </summary>
public static class PasswordHasher
{
    /// <summary>The hash of an account that has no password yet (it can only sign in with the one-time link).</summary>
    public const string NoPassword = "!";

    public const int Iterations = 600_000;

    public const int MinLength = 12;

    public static string Hash(string password, int iterations = Iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return string.Create(CultureInfo.InvariantCulture, $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(stored);
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations is < 1 or > 10_000_000)
        {
            return false;
        }

        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Why a password is not acceptable, or null.</summary>
    public static string? Weakness(string? password) =>
        password is null || password.Length < MinLength ? $"a password has at least {MinLength} characters" : password.Length > 1024 ? "a password has at most 1024 characters" : null;
}
