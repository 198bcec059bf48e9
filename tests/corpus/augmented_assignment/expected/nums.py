nums = [1, 2]
alias = nums
alias += [3]
