// PPO end to end: seeded runs repeat exactly, checkpoint -> resume continues exactly, and a short
// CartPole run learns.
#include "rl/ppo.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "envs/registry.h"
#include "rl/agents.h"
#include "rl/evaluate.h"
#include "rl/threads.h"

namespace equimol::rl {
namespace {

TrainConfig small_config(const std::string& env = "CartPole-v1") {
  TrainConfig config = default_train_config(env);
  config.seed = 3;
  config.total_steps = 2048;
  config.ppo.num_envs = 2;
  config.ppo.num_steps = 64;
  config.ppo.num_minibatches = 4;  // of 32
  config.ppo.num_epochs = 2;
  config.max_episode_steps = 40;  // truncations inside the rollouts too
  return config;
}

ActorCritic seeded_agent(const TrainConfig& config, std::uint64_t torch_seed) {
  torch::manual_seed(torch_seed);
  const auto env = envs::make_env(config.env);
  return make_agent(config.agent, env->observation_space(), env->action_space(), config.agent_options);
}

std::vector<torch::Tensor> parameters(ActorCriticImpl& agent) {
  std::vector<torch::Tensor> copies;
  for (const auto& p : agent.parameters()) copies.push_back(p.detach().clone());
  return copies;
}

void expect_same_parameters(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(torch::equal(a[i], b[i])) << "parameter " << i;
}

/// Seeds torch, trains `iterations` iterations and returns the final parameters and last losses.
std::pair<std::vector<torch::Tensor>, IterationStats> run(const TrainConfig& config, int iterations) {
  Ppo ppo(config, seeded_agent(config, config.seed));
  IterationStats stats;
  for (int i = 0; i < iterations; ++i) stats = ppo.iterate();
  return {parameters(ppo.agent()), stats};
}

TEST(rl_Ppo, SeededRunsRepeatExactly) {
  // Single-threaded, one seed reproduces a run bit for bit (torch RNG, env streams, shuffles).
  set_torch_threads(1);
  const TrainConfig config = small_config();
  const auto [params_a, stats_a] = run(config, 3);
  const auto [params_b, stats_b] = run(config, 3);
  EXPECT_EQ(stats_a.policy_loss, stats_b.policy_loss);
  EXPECT_EQ(stats_a.value_loss, stats_b.value_loss);
  expect_same_parameters(params_a, params_b);
  TrainConfig other = config;
  other.seed = 4;
  EXPECT_NE(run(other, 3).second.policy_loss, stats_a.policy_loss);
}

TEST(rl_Ppo, ResumeGivesTheSameNextUpdateAsAnUninterruptedRun) {
  set_torch_threads(1);
  const auto path = std::filesystem::temp_directory_path() / ("equimol_rl_resume_test_" + std::to_string(getpid()) + ".pt");
  for (const std::string env : {"CartPole-v1", "Pendulum-v1"}) {
    TrainConfig config = small_config(env);
    config.ppo.anneal_lr = config.ppo.anneal_clip_range = true;
    Ppo uninterrupted(config, seeded_agent(config, config.seed));
    for (int i = 0; i < 3; ++i) uninterrupted.iterate();
    uninterrupted.save(path);
    const IterationStats expected = uninterrupted.iterate();

    // A different torch seed and fresh envs: everything must come from the checkpoint.
    Ppo resumed(config, seeded_agent(config, 12345));
    resumed.load(path);
    EXPECT_EQ(resumed.global_step(), 3 * config.ppo.rollout_size());
    const IterationStats got = resumed.iterate();
    EXPECT_EQ(got.global_step, expected.global_step) << env;
    EXPECT_EQ(got.policy_loss, expected.policy_loss) << env;
    EXPECT_EQ(got.value_loss, expected.value_loss) << env;
    EXPECT_EQ(got.learning_rate, expected.learning_rate) << env;
    expect_same_parameters(parameters(resumed.agent()), parameters(uninterrupted.agent()));
  }
  std::filesystem::remove(path);
}

TEST(rl_Ppo, ProcessWorkersTrainExactlyAsThreads) {
  // The envs in worker processes, snapshots through their sockets: the same run bit for bit.
  set_torch_threads(1);
  const TrainConfig threads = small_config();
  TrainConfig processes = threads;
  processes.ppo.env_workers = "processes";
  const auto [params_threads, stats_threads] = run(threads, 3);
  const auto [params_processes, stats_processes] = run(processes, 3);
  EXPECT_EQ(stats_processes.policy_loss, stats_threads.policy_loss);
  EXPECT_EQ(stats_processes.episode_return, stats_threads.episode_return);
  expect_same_parameters(params_processes, params_threads);

  const auto path = std::filesystem::temp_directory_path() / ("equimol_rl_processes_test_" + std::to_string(getpid()) + ".pt");
  Ppo saved(processes, seeded_agent(processes, processes.seed));
  saved.iterate();
  saved.save(path);
  const IterationStats expected = saved.iterate();
  Ppo resumed(threads, seeded_agent(threads, 12345));  // a process run resumes on threads
  resumed.load(path);
  EXPECT_EQ(resumed.iterate().policy_loss, expected.policy_loss);
  std::filesystem::remove(path);
}

TEST(rl_Ppo, RejectsBadOptions) {
  TrainConfig config = small_config();
  config.ppo.num_minibatches = 3;  // does not divide 2 * 64
  EXPECT_THROW(Ppo(config, seeded_agent(config, 0)), std::invalid_argument);
  config = small_config();
  config.ppo.gamma = 1.5;
  EXPECT_THROW(Ppo(config, seeded_agent(config, 0)), std::invalid_argument);
  config = small_config();
  config.total_steps = 100;  // less than one rollout of 128
  EXPECT_THROW(Ppo(config, seeded_agent(config, 0)), std::invalid_argument);
}

TEST(rl_Ppo, RewardScaleScalesTheCriticsTargetsNotTheReportedReturns) {
  // One epoch of one minibatch: the value loss is measured at the initial parameters, where V is small
  // next to CartPole's returns, so halving the rewards divides it by about 4. Returns stay in env units.
  set_torch_threads(1);
  TrainConfig config = small_config();
  config.ppo.num_epochs = 1;
  config.ppo.num_minibatches = 1;
  config.ppo.gamma = 0.99;
  const IterationStats full = run(config, 1).second;
  config.ppo.reward_scale = 0.5;
  const IterationStats half = run(config, 1).second;
  EXPECT_EQ(half.episode_return, full.episode_return);
  EXPECT_GT(full.value_loss / half.value_loss, 3.5);
  EXPECT_LT(full.value_loss / half.value_loss, 4.6);
  config.ppo.reward_scale = 0.0;
  EXPECT_THROW(Ppo(config, seeded_agent(config, 0)), std::invalid_argument);
}

TEST(rl_Ppo, ShortCartPoleRunLearns) {
  // The zoo-tuned CartPole defaults for 40k steps (a third of the bar's budget): the greedy
  // policy should balance well beyond the ~10-step return of a random one.
  set_torch_threads(1);
  TrainConfig config = default_train_config("CartPole-v1");
  config.seed = 1;
  config.total_steps = 40'000;
  Ppo ppo(config, seeded_agent(config, config.seed));
  double last_return = 0;
  while (!ppo.done()) {
    const IterationStats stats = ppo.iterate();
    if (!std::isnan(stats.episode_return)) last_return = stats.episode_return;
  }
  EvalOptions eval;
  eval.episodes = 20;
  const EvalResult result = evaluate(ppo.agent(), "CartPole-v1", eval);
  EXPECT_GT(result.mean_return, 150.0) << "last training return " << last_return;
  EXPECT_EQ(result.returns.size(), 20u);
}

TEST(rl_Evaluate, GreedyEvaluationIsReproducibleAndCountsEpisodes) {
  const TrainConfig config = small_config();
  const ActorCritic agent = seeded_agent(config, 7);
  EvalOptions options;
  options.episodes = 7;
  const EvalResult a = evaluate(*agent, "CartPole-v1", options);
  const EvalResult b = evaluate(*agent, "CartPole-v1", options);
  EXPECT_EQ(a.returns, b.returns);
  ASSERT_EQ(a.returns.size(), 7u);
  for (std::size_t i = 0; i < a.returns.size(); ++i) {
    EXPECT_EQ(a.returns[i], static_cast<double>(a.lengths[i]));  // CartPole: reward 1 per step
  }
  double mean = 0;
  for (double r : a.returns) mean += r / 7;
  EXPECT_NEAR(a.mean_return, mean, 1e-9);
  options.episodes = 0;
  EXPECT_THROW(evaluate(*agent, "CartPole-v1", options), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::rl
