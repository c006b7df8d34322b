using Switchyard.Core.Inspect.Classification;
using Switchyard.Testing;
using Switchyard.Tools.Training;
using Xunit;

namespace Switchyard.Tools.Tests.Training;

/// <summary>What <c>switchyard train</c> builds: the domain mapping of its data, and the shipped models measured on the holdout rows its readers load.</summary>
public sealed class ModelTrainerTests
{
    [Fact]
    public void Classifier_Holdout_OverallAccuracyAtLeastSeventyPercent()
    {
        var rows = TrainingData.ReadTaskTypes(Path.Combine(SharedData.Directory, "task-types")).Where(r => r.Split == "holdout").ToList();

        var correct = rows.Count(r => TaskAnalyzer.BuiltIn.Analyze(r.Text).Category == r.Category);

        Assert.True(rows.Count > 2000);
        Assert.True(correct >= 0.7 * rows.Count, $"holdout accuracy {(double)correct / rows.Count:0.000}");
    }

    [Fact]
    public void DomainModel_BuiltIn_ReadsTheSubjectOfMmluProHoldoutQuestions()
    {
        var domains = TaskAnalyzer.BuiltIn.Domains!;
        var rows = TrainingData.ReadRouting(Path.Combine(SharedData.Directory, "routing-mmlu-pro", "mmlu_pro_routing.holdout.jsonl"));

        var correct = rows.Count(r =>
        {
            var p = TaskAnalyzer.BuiltIn.DomainProbabilities(r.Prompt);
            return domains.Domains[Array.IndexOf(p, p.Max())] == r.Subject;
        });

        Assert.Equal(14, domains.Domains.Count);
        Assert.True(correct >= MeasuredDomainAccuracyFloor * rows.Count, $"domain accuracy {(double)correct / rows.Count:0.000}");
    }

    /// <summary>Measured 0.785 on the MMLU-Pro holdout (docs/routing.md); the floor guards against regressions.</summary>
    private const double MeasuredDomainAccuracyFloor = 0.75;

    [Fact]
    public void ModelTrainer_Domain_FilesRouteLlmMmluSubjectsUnderMmluProsOwnCategory()
    {
        static RoutingItem Item(string source, string? subject, string? origin = null) =>
            new("x", source, "q", [], new Dictionary<string, double?>(), new Dictionary<string, int?>(), false, subject, origin);
        var subjects = ModelTrainer.MmluSubjects([Item("mmlu-pro", "business", "ori_mmlu-business_ethics"), Item("mmlu-pro", "law", "stemez-Law")]);

        Assert.Equal("business", ModelTrainer.Domain(Item("mmlu", "business_ethics"), subjects));
        Assert.Equal("other", ModelTrainer.Domain(Item("mmlu", "moral_scenarios"), subjects));
        Assert.Equal("law", ModelTrainer.Domain(Item("mmlu-pro", "law"), subjects));
        Assert.Null(ModelTrainer.Domain(Item("gsm8k", "math_word_problem"), subjects));
    }
}
