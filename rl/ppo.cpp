#include "rl/ppo.h"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "envs/env_factory.h"
#include "rl/augmentation.h"
#include "rl/checkpoint.h"
#include "rl/featurize.h"
#include "rl/gae.h"
#include "rl/ppo_losses.h"

namespace equimol::rl {

namespace {

envs::VectorEnvOptions vector_options(const TrainConfig& config) {
  check(config.ppo);
  envs::VectorEnvOptions options;
  options.num_envs = config.ppo.num_envs;
  options.num_threads = config.ppo.env_threads;
  options.workers = envs::parse_workers(config.ppo.env_workers);
  options.seed = config.seed;
  options.env.max_episode_steps = config.max_episode_steps;
  return options;
}

/// Env i of the run: envs::make_configured_env with the run's env_options (the molecular envs).
std::function<std::unique_ptr<envs::Env>(int)> env_factory(const TrainConfig& config) {
  return [config](int i) {
    return envs::make_configured_env(config.env, config.env_options, {config.max_episode_steps},
                                     config.seed + static_cast<std::uint64_t>(i));
  };
}

}  // namespace

Ppo::Ppo(const TrainConfig& config, ActorCritic agent)
    : config_(config),
      agent_(std::move(agent)),
      envs_(env_factory(config), vector_options(config)),
      optimizer_(agent_->parameters(), torch::optim::AdamOptions(config.ppo.learning_rate).eps(config.ppo.adam_eps)),
      num_iterations_(config.total_steps / config.ppo.rollout_size()),
      start_time_(std::chrono::steady_clock::now()) {
  if (num_iterations_ < 1) {
    throw std::invalid_argument("total_steps = " + std::to_string(config.total_steps) +
                                " is less than one rollout (num_envs * num_steps = " +
                                std::to_string(config.ppo.rollout_size()) + ")");
  }
  envs_.reset();
}

IterationStats Ppo::iterate() {
  const PpoOptions& o = config_.ppo;
  const std::int64_t T = o.num_steps, N = o.num_envs, B = o.rollout_size();
  const envs::Space& action_space = envs_.action_space();
  const bool discrete = std::holds_alternative<envs::Discrete>(action_space);
  ++iteration_;

  // Schedules (SB3): linear in the fraction of the budget left after this rollout.
  const double remaining = 1.0 - static_cast<double>(global_step_ + B) / static_cast<double>(config_.total_steps);
  const double learning_rate = o.anneal_lr ? o.learning_rate * remaining : o.learning_rate;
  const double clip_range = o.anneal_clip_range ? o.clip_range * remaining : o.clip_range;
  for (auto& group : optimizer_.param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate);
  }

  // 1. Rollout: T steps of N envs into [T, N] storage.
  torch::Tensor next_obs = stack_observations(envs_.results(), envs_.observation_space());
  torch::Tensor obs = torch::empty({T, N, next_obs.size(1)});
  torch::Tensor actions = discrete ? torch::empty({T, N}, torch::kLong)
                                   : torch::empty({T, N, std::get<envs::Box>(action_space).dim()});
  torch::Tensor log_probs = torch::empty({T, N});
  torch::Tensor values = torch::empty({T, N});
  torch::Tensor rewards = torch::empty({T, N});
  torch::Tensor terminated = torch::zeros({T, N});
  torch::Tensor truncated = torch::zeros({T, N});
  torch::Tensor final_values = torch::zeros({T, N});
  auto reward_at = rewards.accessor<float, 2>();
  auto terminated_at = terminated.accessor<float, 2>();
  auto truncated_at = truncated.accessor<float, 2>();
  auto final_value_at = final_values.accessor<float, 2>();
  std::vector<envs::Action> env_actions;
  std::int64_t episodes = 0;
  double return_sum = 0.0, length_sum = 0.0;
  {
    torch::NoGradGuard no_grad;
    for (std::int64_t t = 0; t < T; ++t) {
      obs[t] = next_obs;
      const PolicyOutput out = agent_->forward(next_obs);
      const torch::Tensor action = out.distribution->sample();
      actions[t] = action;
      log_probs[t] = out.distribution->log_prob(action);
      values[t] = out.value;

      to_env_actions(agent_->env_actions(action), action_space, env_actions);
      const auto& results = envs_.step(env_actions);
      global_step_ += N;

      std::vector<const envs::Observation*> truncated_obs;
      std::vector<std::int64_t> truncated_index;
      for (std::int64_t i = 0; i < N; ++i) {
        const envs::StepResult& r = results[static_cast<std::size_t>(i)];
        reward_at[t][i] = static_cast<float>(o.reward_scale * r.reward);
        if (r.terminated) terminated_at[t][i] = 1.0f;
        if (r.truncated && !r.terminated) {
          truncated_at[t][i] = 1.0f;
          truncated_obs.push_back(&envs_.final_observations()[static_cast<std::size_t>(i)]);
          truncated_index.push_back(i);
        }
        if (r.info.episode) {
          ++episodes;
          return_sum += r.info.episode->episode_return;
          length_sum += static_cast<double>(r.info.episode->length);
        }
      }
      // Truncated episodes bootstrap from the value of their final observation.
      if (!truncated_obs.empty()) {
        const torch::Tensor v = agent_->value(stack_observations(truncated_obs, envs_.observation_space()));
        for (std::size_t k = 0; k < truncated_index.size(); ++k) {
          final_value_at[t][truncated_index[k]] = v[static_cast<std::int64_t>(k)].item<float>();
        }
      }
      next_obs = stack_observations(results, envs_.observation_space());
    }
  }

  // 2. Advantages and value targets.
  torch::Tensor last_values;
  {
    torch::NoGradGuard no_grad;
    last_values = agent_->value(next_obs);
  }
  const GaeResult gae =
      compute_gae(rewards, values, terminated, truncated, final_values, last_values, o.gamma, o.gae_lambda);

  // 3. Flatten the batch, followed by the symmetric copies an augmenting agent asks for.
  const FlatBatch batch = with_symmetric_copies(
      *agent_, {obs.reshape({B, -1}), discrete ? actions.reshape({B}) : actions.reshape({B, -1}), log_probs.reshape({B}),
                values.reshape({B}), gae.advantages.reshape({B}), gae.returns.reshape({B})});
  const torch::Tensor& b_obs = batch.obs;
  const torch::Tensor& b_actions = batch.actions;
  const torch::Tensor& b_log_probs = batch.log_probs;
  const torch::Tensor& b_values = batch.values;
  const torch::Tensor& b_advantages = batch.advantages;
  const torch::Tensor& b_returns = batch.returns;
  const std::int64_t train_size = b_obs.size(0), minibatch_size = train_size / o.num_minibatches;

  // 4. Optimise: epochs of shuffled minibatches.
  double policy_loss_sum = 0, value_loss_sum = 0, entropy_sum = 0, kl_sum = 0, clip_sum = 0;
  std::int64_t minibatches = 0, epochs = 0;
  for (std::int64_t epoch = 0; epoch < o.num_epochs; ++epoch) {
    ++epochs;
    const torch::Tensor permutation = torch::randperm(train_size, torch::kLong);
    double last_kl = 0.0;
    for (std::int64_t start = 0; start < train_size; start += minibatch_size) {
      const torch::Tensor mb = permutation.slice(0, start, start + minibatch_size);
      const PolicyOutput out = agent_->forward(b_obs.index_select(0, mb));
      const torch::Tensor new_log_probs = out.distribution->log_prob(b_actions.index_select(0, mb));
      torch::Tensor advantages = b_advantages.index_select(0, mb);
      if (o.normalize_advantages) advantages = normalize_advantages(advantages);

      const PolicyLoss pg = clipped_policy_loss(new_log_probs, b_log_probs.index_select(0, mb), advantages, clip_range);
      const torch::Tensor v_loss =
          value_loss(out.value, b_values.index_select(0, mb), b_returns.index_select(0, mb), o.clip_range_vf);
      const torch::Tensor entropy = out.distribution->entropy().mean();
      const torch::Tensor loss = pg.loss - o.ent_coef * entropy + o.vf_coef * v_loss;

      optimizer_.zero_grad();
      loss.backward();
      torch::nn::utils::clip_grad_norm_(agent_->parameters(), o.max_grad_norm);
      optimizer_.step();

      last_kl = pg.approx_kl.item<double>();
      policy_loss_sum += pg.loss.item<double>();
      value_loss_sum += v_loss.item<double>();
      entropy_sum += entropy.item<double>();
      kl_sum += last_kl;
      clip_sum += pg.clip_fraction.item<double>();
      ++minibatches;
    }
    if (o.target_kl && last_kl > *o.target_kl) break;  // CleanRL's early stop
  }

  // 5. Log.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_time_).count();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  IterationStats stats;
  stats.iteration = iteration_;
  stats.global_step = global_step_;
  stats.episodes = episodes;
  stats.episode_return = episodes > 0 ? return_sum / static_cast<double>(episodes) : kNaN;
  stats.episode_length = episodes > 0 ? length_sum / static_cast<double>(episodes) : kNaN;
  stats.learning_rate = learning_rate;
  stats.clip_range = clip_range;
  stats.policy_loss = policy_loss_sum / static_cast<double>(minibatches);
  stats.value_loss = value_loss_sum / static_cast<double>(minibatches);
  stats.entropy = entropy_sum / static_cast<double>(minibatches);
  stats.approx_kl = kl_sum / static_cast<double>(minibatches);
  stats.clip_fraction = clip_sum / static_cast<double>(minibatches);
  stats.explained_variance = explained_variance(b_values.slice(0, 0, B), b_returns.slice(0, 0, B));  // the rollout
  stats.epochs = epochs;
  stats.steps_per_second = seconds > 0 ? static_cast<double>(global_step_ - start_step_) / seconds : 0.0;
  return stats;
}

void Ppo::save(const std::filesystem::path& path) {
  save_checkpoint(path, *agent_, optimizer_, {global_step_, iteration_, envs_.save()});
}

void Ppo::load(const std::filesystem::path& path) {
  const CheckpointState state = load_checkpoint(path, *agent_, optimizer_);
  envs_.load(state.env_snapshots);
  global_step_ = start_step_ = state.global_step;
  iteration_ = state.iteration;
  start_time_ = std::chrono::steady_clock::now();
}

}  // namespace equimol::rl
