#include "common/env.h"

#include <filesystem>
#include <random>

#include <gtest/gtest.h>

namespace tailor {
namespace {

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("tailor_env_test_" + std::to_string(std::random_device{}())))
               .string();
    ASSERT_TRUE(env_->CreateDirs(dir_).ok());
  }
  void TearDown() override { ASSERT_TRUE(env_->RemoveAll(dir_).ok()); }

  Env* env_ = Env::Default();
  std::string dir_;
};

TEST_F(EnvTest, AtomicWriteReplacesContent) {
  std::string path = dir_ + "/manifest";
  ASSERT_TRUE(env_->WriteFileAtomically(path, "one").ok());
  ASSERT_TRUE(env_->WriteFileAtomically(path, "two").ok());
  EXPECT_EQ(env_->ReadFile(path).value(), "two");
  EXPECT_FALSE(env_->FileExists(path + ".tmp"));
  EXPECT_EQ(env_->FileSize(path).value(), 3u);
}

TEST_F(EnvTest, SequentialReadReturnsAllBytesThenZero) {
  std::string path = dir_ + "/data";
  std::string content(100000, 'x');
  ASSERT_TRUE(env_->WriteFileAtomically(path, content).ok());
  auto file = env_->NewSequentialFile(path);
  ASSERT_TRUE(file.ok());
  std::string read;
  char buf[4096];
  while (true) {
    auto n = (*file)->Read(sizeof(buf), buf);
    ASSERT_TRUE(n.ok());
    if (*n == 0) break;
    read.append(buf, *n);
  }
  EXPECT_EQ(read, content);
}

TEST_F(EnvTest, MissingFilesAreNotFound) {
  EXPECT_TRUE(env_->ReadFile(dir_ + "/none").status().IsNotFound());
  EXPECT_TRUE(env_->NewSequentialFile(dir_ + "/none").status().IsNotFound());
  EXPECT_FALSE(env_->FileExists(dir_ + "/none"));
}

TEST_F(EnvTest, ListDirIsSorted) {
  ASSERT_TRUE(env_->WriteFileAtomically(dir_ + "/b", "").ok());
  ASSERT_TRUE(env_->WriteFileAtomically(dir_ + "/a", "").ok());
  EXPECT_EQ(env_->ListDir(dir_).value(), (std::vector<std::string>{"a", "b"}));
}

TEST_F(EnvTest, AppendableFileKeepsContentAndCreatesMissingFile) {
  std::string path = dir_ + "/log";
  ASSERT_TRUE(env_->WriteFileAtomically(path, "ab").ok());
  {
    auto file = env_->NewAppendableFile(path);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE((*file)->Append("cd").ok());
    ASSERT_TRUE((*file)->Sync().ok());
    ASSERT_TRUE((*file)->Append("e").ok());
    ASSERT_TRUE((*file)->Close().ok());
  }
  EXPECT_EQ(env_->ReadFile(path).value(), "abcde");

  auto fresh = env_->NewAppendableFile(dir_ + "/new");
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE((*fresh)->Append("x").ok());
  ASSERT_TRUE((*fresh)->Close().ok());
  EXPECT_EQ(env_->ReadFile(dir_ + "/new").value(), "x");
}

TEST_F(EnvTest, TruncateFileKeepsPrefix) {
  std::string path = dir_ + "/data";
  ASSERT_TRUE(env_->WriteFileAtomically(path, "0123456789").ok());
  ASSERT_TRUE(env_->TruncateFile(path, 4).ok());
  EXPECT_EQ(env_->ReadFile(path).value(), "0123");
  ASSERT_TRUE(env_->TruncateFile(path, 4).ok());
  EXPECT_TRUE(env_->TruncateFile(path, 5).IsInvalidInput());
  EXPECT_EQ(env_->ReadFile(path).value(), "0123");
  EXPECT_TRUE(env_->TruncateFile(dir_ + "/none", 0).IsNotFound());
}

}  // namespace
}  // namespace tailor
