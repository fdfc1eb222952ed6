// blnk train: options -> TrainConfig -> Trainer; progress, log, plot, signals.
#include <cxxopts.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>

#include "cli/cli.h"
#include "cli/data_files.h"
#include "cli/progress.h"
#include "base/error.h"
#include "base/file_io.h"
#include "engine/model_file.h"
#include "layers/registry.h"
#include "train/plot.h"
#include "train/trainer.h"

namespace blnk::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_training_stop_signal(int) {
  if (g_stop.exchange(true)) std::_Exit(130);  // a second signal: stop now
}

std::string checkpoint_path_for(const std::string& out, const std::string& dir) {
  const std::filesystem::path o(out);
  const std::filesystem::path d = dir.empty() ? (o.has_parent_path() ? o.parent_path() : ".") : std::filesystem::path(dir);
  return (d / (o.filename().string() + ".ckpt")).string();
}

std::string today() {
  char buf[32];
  const std::time_t t = std::time(nullptr);
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&t));
  return buf;
}

train::LabelledImages view(const data::Dataset& d) { return {d.images.pixels.data(), d.labels.labels.data(), d.size()}; }

}  // namespace

int cmd_train(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Train a model on MNIST-style IDX files, or a folder of labelled images, and write "
                                    "a model file.");
  add_data_options(options, true);
  options.add_options()
      ("epochs", "epochs to train (with --resume: the total to reach)", cxxopts::value<int>()->default_value("3"))
      ("batch-size", "minibatch size", cxxopts::value<int>()->default_value("64"))
      ("lr", "learning rate", cxxopts::value<float>()->default_value("0.001"))
      ("lr-schedule", "constant, or cosine: from --lr down to 0 over the run", cxxopts::value<std::string>()->default_value("constant"))
      ("ema", "keep a moving average of the weights with this momentum (e.g. 0.999) and end with it; 0: off",
       cxxopts::value<float>()->default_value("0"))
      ("optimizer", "adam or sgd", cxxopts::value<std::string>()->default_value("adam"))
      ("momentum", "SGD momentum", cxxopts::value<float>()->default_value("0.9"))
      ("seed", "seed for initialisation, shuffling, dropout and augmentation", cxxopts::value<std::uint64_t>()->default_value("1"))
      ("threads", "worker threads (default: all cores)", cxxopts::value<int>())
      ("arch", "model spec", cxxopts::value<std::string>()->default_value(kDefaultSpec))
      ("init", "start from this trained model's weights (fine-tuning); its spec is the model's, --arch must match it",
       cxxopts::value<std::string>())
      ("val-split", "fraction of the training set held out for validation", cxxopts::value<double>()->default_value("0"))
      ("augment", "random shifts, rotations and scaling of the training digits")
      ("limit", "use only the first N training images", cxxopts::value<int>())
      ("out", "model file to write", cxxopts::value<std::string>()->default_value("model.blnk"))
      ("checkpoint-dir", "where OUT.ckpt is written after every epoch (default: OUT's directory)", cxxopts::value<std::string>()->default_value(""))
      ("resume", "continue from the checkpoint of OUT")
      ("log", "append one CSV row per epoch to this file", cxxopts::value<std::string>())
      ("plot", "write loss and accuracy curves to this SVG file", cxxopts::value<std::string>())
      ("quiet", "no progress output")
      ("h,help", "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (!args.unmatched().empty()) throw UsageError("unexpected argument '" + args.unmatched()[0] + "'");
  if (args.count("init") && args.count("resume"))
    throw UsageError("--init starts a new run; --resume continues one: give one of them");
  const DataFiles files = resolve_data_files(args, true);
  const std::string out = args["out"].as<std::string>();
  const std::string checkpoint = checkpoint_path_for(out, args["checkpoint-dir"].as<std::string>());

  train::TrainConfig cfg;
  std::string spec = args["arch"].as<std::string>();
  ModelFile resume_file;
  if (args.count("resume")) {
    resume_file = read_model_file(checkpoint);
    cfg = train::config_from_checkpoint(resume_file, checkpoint);
    spec = resume_file.spec;
    if (args.count("epochs") && args["epochs"].as<int>() != cfg.epochs) {
      if (cfg.lr_schedule != train::LrSchedule::constant)
        std::fprintf(stderr, "note: the %s schedule spans all epochs; with --epochs %d instead of %d the remaining "
                             "steps get other learning rates than either uninterrupted run\n",
                     train::lr_schedule_name(cfg.lr_schedule), args["epochs"].as<int>(), cfg.epochs);
      cfg.epochs = args["epochs"].as<int>();
    }
  } else {
    cfg.epochs = args["epochs"].as<int>();
    cfg.batch_size = args["batch-size"].as<int>();
    cfg.optimizer.name = args["optimizer"].as<std::string>();
    cfg.optimizer.learning_rate = args["lr"].as<float>();
    cfg.lr_schedule = train::parse_lr_schedule(args["lr-schedule"].as<std::string>());
    cfg.ema_momentum = args["ema"].as<float>();
    cfg.optimizer.momentum = args["momentum"].as<float>();
    cfg.seed = args["seed"].as<std::uint64_t>();
    cfg.val_split = args["val-split"].as<double>();
    cfg.augment = args.count("augment") > 0;
    cfg.threads = default_threads();
  }
  if (args.count("threads")) {
    const int threads = checked_count(args["threads"].as<int>(), 256, "threads");
    if (args.count("resume") && threads != cfg.threads)
      std::fprintf(stderr, "note: the checkpoint was made with %d threads; with %d the result is not bit-identical "
                           "to an uninterrupted run\n", cfg.threads, threads);
    cfg.threads = threads;
  }
  cfg.checkpoint_path = checkpoint;
  std::optional<Network> init_from;
  if (args.count("init")) {
    const std::string init_path = args["init"].as<std::string>();
    init_from.emplace(network_from(read_model_file(init_path), init_path));
    if (!args.count("arch")) spec = init_from->spec();
    if (Network(spec, init_from->input_shape()).spec() != init_from->spec())  // before any data is read
      throw Error(init_path + ": its model (" + init_from->spec() + ") is not the one --arch asks for (" + spec +
                  "): leave out --arch, or give the model's own spec");
  }

  data::Dataset train_set = load_train_set(files);
  if (args.count("limit")) {
    const int limit = checked_count(args["limit"].as<int>(), train_set.size(), "limit");
    train_set.images.count = train_set.labels.count = limit;
  }
  const std::optional<data::Dataset> test_set = load_test_set(files);
  if (train_set.images.rows * train_set.images.cols > 1 << 24) throw Error("training images are too large");

  Network net(spec, Shape{train_set.images.rows, train_set.images.cols, 1});
  net.init(cfg.seed);
  if (init_from) {
    const std::string& init_path = args["init"].as<std::string>();
    if (init_from->input_shape() != net.input_shape())
      throw Error(init_path + ": the model takes " + init_from->input_shape().str() + " inputs, the training images are " +
                  net.input_shape().str());
    const auto from = std::as_const(*init_from).params();
    std::copy(from.begin(), from.end(), net.params().begin());
  }
  train::LabelledImages train_view = view(train_set);
  train::LabelledImages test_view = test_set ? view(*test_set) : train::LabelledImages{};
  train::Trainer trainer(net, cfg, train_view, test_set ? &test_view : nullptr);
  if (args.count("resume")) {
    trainer.resume_from(resume_file, checkpoint);
    std::fprintf(stderr, "resuming from %s after %d of %d epochs\n", checkpoint.c_str(), trainer.completed_epochs(),
                 cfg.epochs);
  }

  const bool quiet = args.count("quiet") > 0;
  Progress progress(stderr, quiet);
  const std::string log_path = args.count("log") ? args["log"].as<std::string>() : "";
  if (!log_path.empty() && !std::filesystem::exists(log_path)) {
    std::ofstream(log_path) << train::history_log_header();
  }
  train::TrainCallbacks callbacks;
  callbacks.on_batch = [&](const train::BatchProgress& p) { progress.batch(p); };
  callbacks.on_epoch = [&](const train::EpochStats& e) {
    progress.epoch(e);
    if (!log_path.empty()) {
      std::ofstream log(log_path, std::ios::app);
      log << train::history_log_row(e);
      if (!log) throw Error(log_path + ": cannot append to the log");
    }
  };
  callbacks.stop_requested = &g_stop;
  std::signal(SIGINT, on_training_stop_signal);
  std::signal(SIGTERM, on_training_stop_signal);
  if (!quiet)
    std::fprintf(stderr, "training %s on %d images (%s), %d epochs, batch %d, %d threads\n", net.spec().c_str(),
                 train_set.size(), files.train_source().c_str(), cfg.epochs, cfg.batch_size, cfg.threads);

  const train::TrainOutcome outcome = trainer.run(callbacks);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (outcome == train::TrainOutcome::interrupted) {
    std::fprintf(stderr, "\ninterrupted: checkpoint saved to %s; continue with the same command and --resume\n",
                 checkpoint.c_str());
    return 130;
  }

  ModelFile model = model_file_of(net);
  model.set_metadata("blnk.version", BLNK_VERSION);
  model.set_metadata("trained.date", today());
  model.set_metadata("trained.images", files.train_source());
  model.set_metadata("trained.epochs", std::to_string(cfg.epochs));
  model.set_metadata("trained.seed", std::to_string(cfg.seed));
  if (init_from) model.set_metadata("trained.init", args["init"].as<std::string>());
  model.set_metadata("trained.augment", cfg.augment ? "yes" : "no");
  model.set_metadata("trained.lr_schedule", train::lr_schedule_name(cfg.lr_schedule));
  if (cfg.ema_momentum > 0) model.set_metadata("trained.ema_momentum", std::to_string(cfg.ema_momentum));
  if (!trainer.history().empty() && trainer.history().back().test_accuracy >= 0) {
    char acc[32];
    std::snprintf(acc, sizeof acc, "%.4f", trainer.history().back().test_accuracy);
    model.set_metadata("test.accuracy", acc);
    model.set_metadata("test.images", files.test_source());
  }
  write_model_file(out, model);
  if (args.count("plot")) {
    const std::string svg = train::plot_history_svg(trainer.history(), "blnk training: " + net.spec());
    write_file_atomically(args["plot"].as<std::string>(), std::vector<std::uint8_t>(svg.begin(), svg.end()));
  }
  if (!quiet) std::fprintf(stderr, "wrote %s\n", out.c_str());
  return 0;
}

int cmd_plot(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Draw a training log (blnk train --log) as an SVG chart.");
  options.add_options()("log", "the CSV log", cxxopts::value<std::string>())(
      "out", "the SVG file to write", cxxopts::value<std::string>()->default_value("training.svg"))("h,help", "this help");
  options.parse_positional({"log"});
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (!args.count("log")) throw UsageError("give the log file");
  const auto history = train::read_history_log(args["log"].as<std::string>());
  const std::string svg = train::plot_history_svg(history, args["log"].as<std::string>());
  write_file_atomically(args["out"].as<std::string>(), std::vector<std::uint8_t>(svg.begin(), svg.end()));
  return 0;
}

}  // namespace blnk::cli
