using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Switchyard.Architecture.Tests;

/// <summary>
/// One compiled assembly of ours, read with System.Reflection.Metadata: for every type defined in it, the types of
/// the same assembly it refers to (base type, interfaces, fields, method and property signatures, attributes, locals,
/// and every type, method or field token in method bodies), and the source files its methods were compiled from.
/// Nested types count as their outermost type; compiler-generated types (closures, state machines) as the type whose
/// code they hold, because they are nested in it.
/// </summary>
internal sealed class TypeReferences
{
    private static readonly Dictionary<short, OperandType> _operands = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    private readonly MetadataReader _reader;

    private TypeReferences(MetadataReader reader) => _reader = reader;

    /// <summary>Outermost type (namespace + name) → the outermost types of this assembly it refers to.</summary>
    public Dictionary<string, HashSet<string>> Edges { get; } = [];

    /// <summary>Outermost type → its namespace.</summary>
    public Dictionary<string, string> Namespaces { get; } = [];

    /// <summary>Outermost type → the source files of its methods (from the portable PDB).</summary>
    public Dictionary<string, HashSet<string>> Documents { get; } = [];

    public static TypeReferences Read(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var reader = pe.GetMetadataReader();
        var result = new TypeReferences(reader);
        var pdbPath = Path.ChangeExtension(assemblyPath, ".pdb");
        using var pdb = File.Exists(pdbPath) ? MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(pdbPath)) : null;
        result.ReadAll(pe, pdb?.GetMetadataReader());
        return result;
    }

    private void ReadAll(PEReader pe, MetadataReader? pdb)
    {
        var provider = new SignatureTypes(this);
        foreach (var handle in _reader.TypeDefinitions)
        {
            var type = _reader.GetTypeDefinition(handle);
            var owner = Outermost(handle);
            if (owner is null)
            {
                continue;
            }

            Namespaces[owner] = _reader.GetString(_reader.GetTypeDefinition(OutermostHandle(handle)).Namespace);
            var refs = Edges.TryGetValue(owner, out var set) ? set : Edges[owner] = [];
            AddEntity(type.BaseType, refs, provider);
            foreach (var i in type.GetInterfaceImplementations())
            {
                AddEntity(_reader.GetInterfaceImplementation(i).Interface, refs, provider);
            }

            AddAttributes(type.GetCustomAttributes(), refs, provider);
            foreach (var f in type.GetFields())
            {
                var field = _reader.GetFieldDefinition(f);
                refs.UnionWith(field.DecodeSignature(provider, null));
                AddAttributes(field.GetCustomAttributes(), refs, provider);
            }

            foreach (var p in type.GetProperties())
            {
                var property = _reader.GetPropertyDefinition(p);
                AddSignature(property.DecodeSignature(provider, null), refs);
                AddAttributes(property.GetCustomAttributes(), refs, provider);
            }

            foreach (var m in type.GetMethods())
            {
                var method = _reader.GetMethodDefinition(m);
                AddSignature(method.DecodeSignature(provider, null), refs);
                AddAttributes(method.GetCustomAttributes(), refs, provider);
                foreach (var p in method.GetParameters())
                {
                    AddAttributes(_reader.GetParameter(p).GetCustomAttributes(), refs, provider);
                }

                if (method.RelativeVirtualAddress != 0)
                {
                    AddBody(pe.GetMethodBody(method.RelativeVirtualAddress), refs, provider);
                }

                if (pdb is not null)
                {
                    AddDocuments(pdb, m, owner);
                }
            }
        }
    }

    private void AddDocuments(MetadataReader pdb, MethodDefinitionHandle method, string owner)
    {
        var info = pdb.GetMethodDebugInformation(method);
        var files = Documents.TryGetValue(owner, out var set) ? set : Documents[owner] = [];
        if (!info.Document.IsNil)
        {
            files.Add(pdb.GetString(pdb.GetDocument(info.Document).Name));
        }

        if (info.SequencePointsBlob.IsNil)
        {
            return;
        }

        foreach (var point in info.GetSequencePoints())
        {
            if (!point.Document.IsNil)
            {
                files.Add(pdb.GetString(pdb.GetDocument(point.Document).Name));
            }
        }
    }

    private void AddBody(MethodBodyBlock body, HashSet<string> refs, SignatureTypes provider)
    {
        if (!body.LocalSignature.IsNil)
        {
            var locals = _reader.GetStandaloneSignature(body.LocalSignature);
            foreach (var local in locals.DecodeLocalSignature(provider, null))
            {
                refs.UnionWith(local);
            }
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE)
            {
                code = unchecked((short)(0xFE00 | il.ReadByte()));
            }

            switch (_operands[code])
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    AddEntity(MetadataTokens.EntityHandle(il.ReadInt32()), refs, provider);
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
    }

    private void AddAttributes(CustomAttributeHandleCollection attributes, HashSet<string> refs, SignatureTypes provider)
    {
        foreach (var a in attributes)
        {
            AddEntity(_reader.GetCustomAttribute(a).Constructor, refs, provider);
        }
    }

    private static void AddSignature(MethodSignature<ImmutableHashSet<string>> signature, HashSet<string> refs)
    {
        refs.UnionWith(signature.ReturnType);
        foreach (var p in signature.ParameterTypes)
        {
            refs.UnionWith(p);
        }
    }

    private void AddEntity(EntityHandle handle, HashSet<string> refs, SignatureTypes provider)
    {
        if (handle.IsNil)
        {
            return;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                refs.UnionWith(provider.GetTypeFromDefinition(_reader, (TypeDefinitionHandle)handle, 0));
                break;
            case HandleKind.TypeSpecification:
                refs.UnionWith(provider.GetTypeFromSpecification(_reader, null, (TypeSpecificationHandle)handle, 0));
                break;
            case HandleKind.MethodDefinition:
                var method = _reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                AddEntity(method.GetDeclaringType(), refs, provider);
                break;
            case HandleKind.FieldDefinition:
                AddEntity(_reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType(), refs, provider);
                break;
            case HandleKind.MemberReference:
                var member = _reader.GetMemberReference((MemberReferenceHandle)handle);
                AddEntity(member.Parent, refs, provider);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    AddSignature(member.DecodeMethodSignature(provider, null), refs);
                }
                else
                {
                    refs.UnionWith(member.DecodeFieldSignature(provider, null));
                }

                break;
            case HandleKind.MethodSpecification:
                var spec = _reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                AddEntity(spec.Method, refs, provider);
                foreach (var t in spec.DecodeSignature(provider, null))
                {
                    refs.UnionWith(t);
                }

                break;
        }
    }

    internal TypeDefinitionHandle OutermostHandle(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(handle);
        while (type.IsNested)
        {
            handle = type.GetDeclaringType();
            type = _reader.GetTypeDefinition(handle);
        }

        return handle;
    }

    /// <summary>The full name of the outermost type, or null for the module's and the compiler's own types.</summary>
    internal string? Outermost(TypeDefinitionHandle handle)
    {
        var type = _reader.GetTypeDefinition(OutermostHandle(handle));
        var name = _reader.GetString(type.Name);
        if (name.StartsWith('<'))
        {
            return null;
        }

        var ns = _reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>Decodes a signature into the set of this assembly's outermost types it names (other assemblies' types: none).</summary>
    private sealed class SignatureTypes(TypeReferences owner) : ISignatureTypeProvider<ImmutableHashSet<string>, object?>
    {
        private static readonly ImmutableHashSet<string> _none = [];

        public ImmutableHashSet<string> GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            owner.Outermost(handle) is { } name ? [name] : _none;

        public ImmutableHashSet<string> GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => _none;

        public ImmutableHashSet<string> GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public ImmutableHashSet<string> GetGenericInstantiation(ImmutableHashSet<string> genericType, ImmutableArray<ImmutableHashSet<string>> typeArguments) =>
            typeArguments.Aggregate(genericType, (all, t) => all.Union(t));

        public ImmutableHashSet<string> GetFunctionPointerType(MethodSignature<ImmutableHashSet<string>> signature) =>
            signature.ParameterTypes.Aggregate(signature.ReturnType, (all, t) => all.Union(t));

        public ImmutableHashSet<string> GetModifiedType(ImmutableHashSet<string> modifier, ImmutableHashSet<string> unmodifiedType, bool isRequired) => unmodifiedType.Union(modifier);

        public ImmutableHashSet<string> GetArrayType(ImmutableHashSet<string> elementType, ArrayShape shape) => elementType;

        public ImmutableHashSet<string> GetByReferenceType(ImmutableHashSet<string> elementType) => elementType;

        public ImmutableHashSet<string> GetPointerType(ImmutableHashSet<string> elementType) => elementType;

        public ImmutableHashSet<string> GetPinnedType(ImmutableHashSet<string> elementType) => elementType;

        public ImmutableHashSet<string> GetSZArrayType(ImmutableHashSet<string> elementType) => elementType;

        public ImmutableHashSet<string> GetGenericMethodParameter(object? genericContext, int index) => _none;

        public ImmutableHashSet<string> GetGenericTypeParameter(object? genericContext, int index) => _none;

        public ImmutableHashSet<string> GetPrimitiveType(PrimitiveTypeCode typeCode) => _none;
    }
}
